"""人证比对 pages (docs/face-match.md): the project's comparisons, pending first, and one comparison with the
person's photo beside the ID card's photo, where the clerk confirms 是本人 / 不是本人 with a reason."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render

from jmzhgd.core.access import can_write_project, get_in_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import serve_private_file
from jmzhgd.core.forms import PlatformForm

from .models import FaceMatch, FaceMatchStatus
from .services.face import REASON_MAX, decide_face_match

LIST_LIMIT = 300


class FaceDecisionForm(PlatformForm):
    decision = forms.ChoiceField(
        label="核对结果",
        choices=[("same", "是本人"), ("different", "不是本人")],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={
            "required": "请选择“是本人”或“不是本人”。",
            "invalid_choice": "请选择“是本人”或“不是本人”。",
        },
    )
    reason = forms.CharField(
        label="理由",
        max_length=REASON_MAX,
        error_messages={"required": "请填写确认理由（如：已核对本人与身份证原件）。"},
        widget=forms.TextInput(attrs={"placeholder": "如：已核对本人与身份证原件"}),
    )


@login_required
def face_matches(request, project_id):
    project = project_for(request, project_id)
    pending_first = Case(
        When(status=FaceMatchStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    matches = (
        FaceMatch.objects.filter(project=project)
        .select_related("person", "decided_by")
        .order_by(pending_first, "-created_at", "-id")[:LIST_LIMIT]
    )
    return render(request, "workforce/face_matches.html", {"project": project, "matches": matches})


@login_required
def face_match(request, project_id, match_id):
    project = project_for(request, project_id)
    match = get_in_project(FaceMatch.objects.select_related("person", "decided_by"), project, pk=match_id)
    may_decide = can_write_project(request.user, project)
    form = FaceDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                decide_face_match(
                    Actor.from_request(request),
                    match,
                    same_person=form.cleaned_data["decision"] == "same",
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_error("reason", exc.messages[0])
            else:
                messages.success(request, f"已记录人证比对确认：{match.person}。")
                return redirect("workforce:face_match", project_id=project.pk, match_id=match.pk)
    context = {"project": project, "match": match, "form": form, "may_decide": may_decide}
    return render(request, "workforce/face_match.html", context)


@login_required
def face_match_image(request, project_id, match_id, image_kind):
    """The photo or the ID card's photo of a comparison, for those who may read the project."""
    project = project_for(request, project_id)
    match = get_in_project(FaceMatch.objects.select_related("person"), project, pk=match_id)
    field = {"photo": match.person.photo, "card": match.person.id_front_image}.get(image_kind)
    if field is None:
        raise Http404
    return serve_private_file(field)
