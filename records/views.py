"""法律保全 and 保存期限 (supervisors), and 项目档案 (a project's own account and supervisors). Thin:
check access, parse, call records.services / records.purge, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from jmzhgd.core import audit
from jmzhgd.core.access import project_for, require_supervisor
from jmzhgd.core.actor import Actor
from jmzhgd.jobs import services as jobs
from projects.models import Project

from . import dossier, purge, retention, services
from .forms import DossierForm, EndHoldForm, HoldForm
from .models import LegalHold

HOLD_LIST_LIMIT = 200


@login_required
def hold_list(request):
    """法律保全: the holds of the supervisor's projects, and 【设置保全】."""
    require_supervisor(request.user)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["project_code"]
        project = Project.objects.visible_to(request.user).filter(code=code).first()
        if project is None:
            form.add_error("project_code", f"您的监管范围内没有项目编码为 {code} 的项目。")
        else:
            try:
                services.set_hold(Actor.from_request(request), project, form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error("reason", exc.messages[0])
            else:
                messages.success(request, f"已对「{project.name}」设置法律保全，保全期间不清理其任何记录。")
                return redirect("records:holds")
    holds = LegalHold.objects.visible_to(request.user).select_related("project", "set_by", "ended_by")
    return render(request, "records/holds.html", {"form": form, "holds": holds[:HOLD_LIST_LIMIT]})


@login_required
def hold_end(request, hold_id: int):
    """【解除保全】 with a reason (a confirmation page: the project's records may go afterwards)."""
    require_supervisor(request.user)
    hold = get_object_or_404(
        LegalHold.objects.visible_to(request.user).active().select_related("project"), pk=hold_id
    )
    form = EndHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_hold(Actor.from_request(request), hold, form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("reason", exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, f"已解除「{hold.project.name}」的法律保全。")
            return redirect("records:holds")
    return render(request, "records/hold_end.html", {"form": form, "hold": hold})


@login_required
def retention_report(request):
    """保存期限: the table, and the dry run of tonight's purge (nothing changes here)."""
    require_supervisor(request.user)
    plan = purge.plan()
    visible = set(Project.objects.visible_to(request.user).values_list("pk", flat=True))
    lines = [line for line in plan.lines if line.project is None or line.project.pk in visible]
    return render(
        request,
        "records/retention.html",
        {"record_classes": retention.TABLE, "plan": plan, "lines": lines},
    )


@login_required
def dossier_request(request, project_id: int):
    """项目档案: choose a date range; the .zip is made as a background job (【我的导出】)."""
    project = project_for(request, project_id)
    form = DossierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        params = QueryDict(mutable=True)
        params["date_from"] = f"{form.cleaned_data['date_from']:%Y-%m-%d}"
        params["date_to"] = f"{form.cleaned_data['date_to']:%Y-%m-%d}"
        try:
            prepared = dossier.dossier_export(project, params, request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            audit.record(
                Actor.from_request(request),
                "dossier.request",
                project,
                project=project,
                summary=f"生成{prepared.label}（{prepared.rows} 个文件）",
            )
            export = jobs.request_export(request.user, project, dossier.DOSSIER, params, prepared)
            messages.info(request, f"{prepared.label}已转为后台生成，完成后可在【我的导出】下载。")
            return redirect(f"{reverse('jobs:export_list')}#export-{export.pk}")
    return render(request, "records/dossier.html", {"project": project, "form": form})
