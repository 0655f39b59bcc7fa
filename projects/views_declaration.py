"""项目申报 (public), 申报进度查询 (public) and the supervisor's review queue (docs/requirements.md §3)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jmzhgd.core.access import require_supervisor
from jmzhgd.core.actor import Actor, client_ip
from jmzhgd.core.files import serve_private_file
from jmzhgd.core.list_views import SupervisorListView

from . import services
from .filters import DeclarationFilter
from .forms import DECLARATION_FIELDS, DeclarationForm, DeclarationStatusForm, RejectForm
from .models import Declaration, DeclarationStatus, Project
from .tables import DeclarationTable
from .views_accounts import remember_one_time_password

SUBMITTED_SESSION_KEY = "projects.declaration_submitted"


def declare(request):
    """【项目申报】: the public form; 【提交申报】 gives a declaration number."""
    form = DeclarationForm(request.POST or None, request.FILES or None)
    refused = ""
    if request.method == "POST":
        try:
            # Refused before anything is validated or stored when this IP declared too often.
            services.check_declaration_rate(client_ip(request))
        except ValidationError as error:
            refused = "；".join(error.messages)
            form = DeclarationForm(initial={k: v for k, v in request.POST.items() if k in DECLARATION_FIELDS})
        if not refused and form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k not in ("attachments", "captcha")}
            actor = Actor(ip=client_ip(request), label=f"申报人 {fields['contact_name']}"[:150])
            try:
                declaration = services.submit_declaration(actor, fields, form.cleaned_data["attachments"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[SUBMITTED_SESSION_KEY] = declaration.number
                return redirect("projects:declaration_submitted")
    return render(
        request, "projects/declare.html", {"form": form, "refused": refused}, status=429 if refused else 200
    )


def declaration_submitted(request):
    """After 【提交申报】: the declaration number (from this browser's session only)."""
    number = request.session.get(SUBMITTED_SESSION_KEY)
    if not number:
        return redirect("projects:declare")
    return render(request, "projects/declaration_submitted.html", {"number": number})


def declaration_status(request):
    """申报进度查询: number + phone → 待审核 / 已通过 / 已驳回 and the reason; never account details."""
    form = DeclarationStatusForm(request.POST or None)
    declaration = None
    searched = False
    if request.method == "POST" and form.is_valid():
        searched = True
        declaration = services.find_declaration(form.cleaned_data["number"], form.cleaned_data["phone"])
    return render(
        request,
        "projects/declaration_status.html",
        {"form": form, "declaration": declaration, "searched": searched},
    )


def _review_queryset(user):
    return Declaration.objects.visible_to(user).annotate(
        status_rank=Case(
            When(status=DeclarationStatus.PENDING, then=Value(0)),
            When(status=DeclarationStatus.REJECTED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )


class ReviewListView(SupervisorListView):
    """申报审核: pending first, then the newest; filters and search."""

    template_name = "projects/review_list.html"
    title = "申报审核"
    filterset_class = DeclarationFilter
    table_class = DeclarationTable

    def get_queryset(self):
        return _review_queryset(self.request.user)

    def get_table(self, filterset):
        return self.table_class(filterset.qs.order_by("status_rank", "-created_at", "-id"))

    def extra_context(self) -> dict:
        pending = Declaration.objects.visible_to(self.request.user).filter(status=DeclarationStatus.PENDING)
        return {"pending": pending.count()}


review_list = ReviewListView.as_view()


def _declaration_for(request, declaration_id) -> Declaration:
    require_supervisor(request.user)
    return get_object_or_404(Declaration.objects.visible_to(request.user), pk=declaration_id)


@login_required
def review_detail(request, declaration_id):
    declaration = _declaration_for(request, declaration_id)
    similar = (
        Project.objects.filter(Q(name=declaration.name) | Q(builder_code=declaration.builder_code)).order_by(
            "-created_at"
        )[:5]
        if declaration.is_pending
        else []
    )
    return render(
        request,
        "projects/review_detail.html",
        {
            "declaration": declaration,
            "attachments": declaration.attachments.all(),
            "reject_form": RejectForm(),
            "similar": similar,
        },
    )


@login_required
@require_POST
def review_approve(request, declaration_id):
    """【通过】: project, units, account, in one transaction; the notice shows the password once."""
    declaration = _declaration_for(request, declaration_id)
    try:
        project, user, password = services.approve_declaration(Actor.from_request(request), declaration.pk)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("projects:review_detail", declaration_id=declaration.pk)
    remember_one_time_password(request, user, password)
    messages.success(request, f"已通过申报 {declaration.number}，项目编码 {project.code}，项目账号已开通。")
    return redirect("projects:account_notice", user_id=user.pk)


@login_required
@require_POST
def review_reject(request, declaration_id):
    """【驳回】: a reason is required."""
    declaration = _declaration_for(request, declaration_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        # The reason's own error is shown under the field, once.
        return render(
            request,
            "projects/review_detail.html",
            {
                "declaration": declaration,
                "attachments": declaration.attachments.all(),
                "reject_form": form,
                "similar": [],
            },
            status=400,
        )
    try:
        services.reject_declaration(Actor.from_request(request), declaration.pk, form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已驳回申报 {declaration.number}。")
    return redirect("projects:review_detail", declaration_id=declaration.pk)


@login_required
def declaration_attachment(request, declaration_id, attachment_id):
    """An attachment, only for a supervisor who may review the declaration."""
    declaration = _declaration_for(request, declaration_id)
    attachment = get_object_or_404(declaration.attachments, pk=attachment_id)
    return serve_private_file(attachment.file, download_name=attachment.original_name or None)
