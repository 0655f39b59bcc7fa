"""项目培训 pages. Thin: check access, parse, call training.services, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from enterprises.models import Team
from jmzhgd.core.access import can_write_project, get_in_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import serve_private_file
from jmzhgd.core.tables import paginate_table
from jmzhgd.jobs.export_views import export_view
from workforce.models import RosterEntry

from . import services
from .exports import LEDGER, training_filter
from .forms import TrainingForm
from .models import Training
from .sign_in import SignInRefused, record_sign_in
from .tables import TrainingTable

PICKER_LIMIT = 300  # candidates shown at once; 【整个班组】 records a whole team whatever its size


def _training(request, project, training_id) -> Training:
    return get_in_project(Training.objects.all(), project, user=request.user, pk=training_id)


@login_required
def training_list(request, project_id):
    project = project_for(request, project_id)
    filterset = training_filter(request.GET, project)
    table = TrainingTable(filterset.qs)
    paginate_table(request, table)
    return render(
        request,
        "training/list.html",
        {
            "project": project,
            "filter": filterset,
            "table": table,
            "can_write": can_write_project(request.user, project),
            "export_query": request.GET.urlencode(),
        },
    )


# 【导出】: the filtered 培训台账; a large one becomes a job (【我的导出】).
training_export = export_view(
    LEDGER,
    action="training.export",
    back="training:list",
    summary=lambda prepared, request: f"导出培训台账（{prepared.rows} 场）",
)


def _form_page(request, project, training: Training | None):
    instance = training or Training(project=project)
    if request.method == "POST":
        form = TrainingForm(
            request.POST,
            request.FILES,
            instance=Training.objects.get(pk=training.pk) if training else instance,
        )
        if form.is_valid():
            try:
                saved = services.save_training(
                    Actor.from_request(request),
                    project,
                    form.values(),
                    training,
                    scan=form.cleaned_data.get("sign_in_file"),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "培训记录已保存。")
                return redirect("training:detail", project_id=project.pk, training_id=saved.pk)
    else:
        form = TrainingForm(instance=instance)
    return render(request, "training/form.html", {"project": project, "form": form, "training": training})


@login_required
def training_create(request, project_id):
    project = project_for(request, project_id, write=True)
    return _form_page(request, project, None)


@login_required
def training_edit(request, project_id, training_id):
    project = project_for(request, project_id, write=True)
    return _form_page(request, project, _training(request, project, training_id))


@login_required
@require_POST
def training_delete(request, project_id, training_id):
    project = project_for(request, project_id, write=True)
    training = _training(request, project, training_id)
    try:
        services.delete_training(Actor.from_request(request), training)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("training:detail", project_id=project.pk, training_id=training.pk)
    messages.success(request, "培训记录已删除。")
    return redirect("training:list", project_id=project.pk)


def _candidates(project, training, params):
    """On-site workers of the project not yet recorded, narrowed by 班组 and a name/phone search."""
    entries = (
        RosterEntry.objects.filter(project=project, exit_date__isnull=True)
        .exclude(person__trainings__training=training)
        .select_related("person", "team")
        .order_by("team__name", "person__name", "id")
    )
    team = params.get("team", "")
    if team.isdigit():
        entries = entries.filter(team_id=int(team))
    q = params.get("q", "").strip()
    if q:
        entries = entries.filter(Q(person__name__icontains=q) | Q(person__phone__contains=q))
    return entries


@login_required
def training_detail(request, project_id, training_id):
    project = project_for(request, project_id)
    training = _training(request, project, training_id)
    can_write = can_write_project(request.user, project)
    attendees = list(training.attendees.select_related("person"))
    candidates = []
    if can_write:
        candidates = list(_candidates(project, training, request.GET)[: PICKER_LIMIT + 1])
    return render(
        request,
        "training/detail.html",
        {
            "project": project,
            "training": training,
            "attendees": attendees,
            "passed": sum(1 for a in attendees if a.passed),
            "can_write": can_write,
            "teams": Team.objects.filter(project=project, exit_date__isnull=True).order_by("name"),
            "candidates": candidates[:PICKER_LIMIT],
            "more_candidates": len(candidates) > PICKER_LIMIT,
            "picker_team": request.GET.get("team", ""),
            "picker_q": request.GET.get("q", ""),
        },
    )


def _ids(values) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 12]


@login_required
@require_POST
def training_attendees(request, project_id, training_id):
    """The attendee actions of the detail page: add (chosen persons or a whole team), 合格/不合格, 移除."""
    project = project_for(request, project_id, write=True)
    training = _training(request, project, training_id)
    actor, post = Actor.from_request(request), request.POST
    action = post.get("action", "")
    passed = post.get("passed", "1") != "0"
    try:
        if action == "add_team":
            team = post.get("team", "")
            persons = RosterEntry.objects.filter(
                project=project, exit_date__isnull=True, team_id=int(team) if team.isdigit() else 0
            ).values_list("person_id", flat=True)
            added = services.add_attendees(actor, training, list(persons), passed=passed)
            messages.success(request, f"已记录 {added} 名参训人员。")
        elif action == "add":
            added = services.add_attendees(actor, training, _ids(post.getlist("person")), passed=passed)
            messages.success(request, f"已记录 {added} 名参训人员。")
        elif action in ("pass", "fail"):
            count = services.set_results(
                actor, training, _ids(post.getlist("attendee")), passed=action == "pass"
            )
            messages.success(request, f"已更新 {count} 人的考核结果。")
        elif action == "upload":
            count = record_sign_in(actor, training, request.FILES.get("sign_in") or _no_file())
            messages.success(request, f"已按签到表记录 {count} 人。")
        elif action == "remove":
            count = services.remove_attendees(actor, training, _ids(post.getlist("attendee")))
            messages.success(request, f"已移除 {count} 名参训人员。")
        else:
            messages.error(request, "未知的操作。")
    except SignInRefused as exc:
        messages.error(request, f"签到表有 {len(exc.rows)} 处错误，未记录任何人：" + "；".join(exc.rows[:20]))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("training:detail", project_id=project.pk, training_id=training.pk)


def _no_file():
    raise ValidationError("请选择签到表文件（.xlsx）。")


@login_required
def sign_in_scan(request, project_id, training_id):
    """The signed sheet's scan, served only after the project check (another project's is a 404)."""
    project = project_for(request, project_id)
    training = _training(request, project, training_id)
    return serve_private_file(training.sign_in_scan, download_name=training.sign_in_scan_name or None)
