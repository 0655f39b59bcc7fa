"""项目考勤 pages (docs/requirements.md §8): 项目月考勤 and its export, 考勤明细 and its export, punch
photos, 异常考勤. Thin views: scope, parse, call the report or the action, render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from jmzhgd.core.access import get_in_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import serve_private_file
from jmzhgd.core.list_views import ProjectListView
from jmzhgd.db.routers import reads_from_replica
from jmzhgd.jobs.export_views import export_view

from . import exporters
from .anomalies import dismiss_anomaly, resolve_anomaly
from .filters import AnomalyFilter
from .forms_anomalies import DismissForm, ResolveForm
from .models import AnomalyStatus, Punch
from .reports import (
    ABSENT,
    NOT_YET,
    OFF_ROSTER,
    PRESENT,
    detail_row,
    detail_values,
)
from .tables import AnomalyTable

MONTH_PAGE_SIZE = 100  # persons per page of the grid
DETAIL_PAGE_SIZE = 50
WEEKDAYS = "一二三四五六日"


def _tabs(project, active: str) -> list[dict]:
    tabs = [
        ("month", "项目月考勤", "attendance:month"),
        ("details", "考勤明细", "attendance:details"),
        ("anomalies", "异常考勤", "attendance:anomalies"),
        ("fence", "移动考勤", "attendance:fence_anomalies"),
        ("devices", "考勤设备", "attendance:device_list"),
    ]
    result = []
    for key, label, name in tabs:
        try:
            url = reverse(name, kwargs={"project_id": project.pk})
        except NoReverseMatch:
            continue  # the device pages belong to another feature; shown once they exist
        result.append({"key": key, "label": label, "url": url, "active": key == active})
    return result


def _month_report(request, project):
    return exporters.month_report(request.GET, project)


@login_required
@reads_from_replica
def month(request, project_id):
    """【项目月考勤】: persons on the roster during the month × days, paged by persons."""
    project = project_for(request, project_id)
    report, filterset, error = _month_report(request, project)
    if error:
        messages.error(request, error)
    page = Paginator(report.persons(), MONTH_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(report.rows(page.object_list, first_number=page.start_index()))
    days = [
        {"day": d.day, "weekday": WEEKDAYS[d.weekday()], "weekend": d.weekday() >= 5} for d in report.days
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query["month"] = f"{report.start:%Y-%m}"
    previous_month = (report.start - datetime.timedelta(days=1)).replace(day=1)
    next_month = (report.end + datetime.timedelta(days=1)).replace(day=1)
    return render(
        request,
        "attendance/month.html",
        {
            "project": project,
            "tabs": _tabs(project, "month"),
            "filter": filterset,
            "report": report,
            "header": report.header(),
            "days": days,
            "rows": rows,
            "totals": report.totals(rows),
            "page_obj": page,
            "query": query.urlencode(),
            "previous_month": f"{previous_month:%Y-%m}",
            "next_month": f"{next_month:%Y-%m}",
            "marks": {"present": PRESENT, "absent": ABSENT, "off": OFF_ROSTER, "not_yet": NOT_YET},
        },
    )


# 【导出月考勤】: the same grid (all pages) as .xlsx; a large one becomes a job (【我的导出】).
month_export = export_view(
    exporters.MONTH, action="attendance.export_month", back="attendance:month", replica=True
)


def _detail_filter(request, project):
    return exporters.detail_filter(request.GET, project)


@login_required
def details(request, project_id):
    """【考勤明细】: each punch of the day or range, with a photo thumbnail."""
    project = project_for(request, project_id)
    filterset, error = _detail_filter(request, project)
    if error:
        messages.error(request, error)
        rows, page = [], None
    else:
        page = Paginator(detail_values(filterset.qs), DETAIL_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [detail_row(p) for p in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "attendance/details.html",
        {
            "project": project,
            "tabs": _tabs(project, "details"),
            "filter": filterset,
            "rows": rows,
            "page_obj": page,
            "query": query.urlencode(),
            "export_query": filterset.form.data.urlencode(),
        },
    )


# 【导出明细】: the whole range as .xlsx, streamed (flat memory); a large one becomes a job.
details_export = export_view(
    exporters.DETAILS, action="attendance.export_details", back="attendance:details", replica=True
)


@login_required
def punch_photo(request, project_id, punch_id):
    """A punch's snapshot, only for those who may see the project (404 for anyone else)."""
    project = project_for(request, project_id)
    punch = get_in_project(Punch.objects, project, request.user, pk=punch_id)
    return serve_private_file(punch.photo)


class AnomalyListView(ProjectListView):
    """异常考勤: punches that matched nobody on the roster (default: those still open)."""

    template_name = "attendance/anomalies.html"
    title = "异常考勤"
    filterset_class = AnomalyFilter
    table_class = AnomalyTable

    def get_queryset(self):
        punches = Punch.objects.filter(project=self.project, is_anomaly=True)
        return punches.select_related("device", "person", "resolved_by").order_by("-punched_at", "-id")

    def get_filterset(self):
        data = self.request.GET.copy()
        if "status" not in data:
            data["status"] = AnomalyStatus.OPEN
        return self.filterset_class(data, queryset=self.get_queryset())

    def extra_context(self) -> dict:
        return {"tabs": _tabs(self.project, "anomalies"), "dismiss_form": DismissForm()}


anomalies = AnomalyListView.as_view()


@login_required
def anomaly_resolve(request, project_id, punch_id):
    """Link an unmatched punch to a person on the project's roster that day."""
    project = project_for(request, project_id, write=True)
    punch = get_in_project(
        Punch.objects.select_related("device"), project, request.user, pk=punch_id, is_anomaly=True
    )
    form = ResolveForm(request.POST or None, punch=punch)
    if request.method == "POST" and form.is_valid():
        try:
            resolve_anomaly(
                Actor.from_request(request), punch, form.cleaned_data["entry"], form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"已将该考勤关联到 {form.cleaned_data['entry'].person.name}，计入其当日考勤。"
            )
            return redirect("attendance:anomalies", project_id=project.pk)
    return render(
        request,
        "attendance/anomaly_resolve.html",
        {"project": project, "tabs": _tabs(project, "anomalies"), "punch": punch, "form": form},
    )


@login_required
@require_POST
def anomaly_dismiss(request, project_id, punch_id):
    """Dismiss an unmatched punch with a reason (it stays stored, and never counts)."""
    project = project_for(request, project_id, write=True)
    punch = get_in_project(Punch.objects, project, request.user, pk=punch_id, is_anomaly=True)
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            dismiss_anomaly(Actor.from_request(request), punch, form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已忽略该异常考勤。")
    return redirect("attendance:anomalies", project_id=project.pk)
