"""【导出月考勤】 and 【导出明细】 as registered exporters (jmzhgd.jobs.registry): the page and the
background job read the same filters and write the same sheet.

The filter readers take the query parameters rather than the request, because the job reads them
again, from the stored export, when it runs.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from jmzhgd.core.forms import EARLIEST_DATE, LATEST_DATE
from jmzhgd.core.months import month_start
from jmzhgd.jobs.registry import Prepared, exporter

from . import exports
from .filters import MonthFilter, PunchFilter
from .models import Punch
from .reports import MonthReport, entries_in_month

MONTH = "attendance:month"
DETAILS = "attendance:details"


def month_report(params: QueryDict, project):
    """The month report for these filters, and a message when the month was bad (this month's
    report is given instead: the page shows it with the message, an export refuses)."""
    start = month_start(params.get("month", "").strip())
    error = None
    if start is None:
        error = f"月份应为 YYYY-MM 格式，在 {EARLIEST_DATE:%Y-%m} 至 {LATEST_DATE:%Y-%m} 之间，例如 2026-04；已显示本月。"
        start = month_start("")
    data = params.copy()
    data["month"] = f"{start:%Y-%m}"  # the picker shows the month on view, also by default
    filterset = MonthFilter(data, queryset=entries_in_month(project, start), project=project)
    return MonthReport(project=project, start=start, entries=filterset.qs), filterset, error


def detail_filter(params: QueryDict, project):
    """The 考勤明细 filter with its range: a day (default today) or a date range; and its error."""
    data = params.copy()
    date_from, date_to = data.get("date_from", "").strip(), data.get("date_to", "").strip()
    copied = None  # a date filled in from the other one: its errors would repeat the other's
    if not date_from and not date_to:
        data["date_from"] = data["date_to"] = f"{timezone.localdate():%Y-%m-%d}"
    elif not date_to:
        data["date_to"], copied = date_from, "date_to"
    elif not date_from:
        data["date_from"], copied = date_to, "date_from"
    base = Punch.objects.filter(project=project).order_by("punched_at", "id")
    filterset = PunchFilter(data, queryset=base, project=project)
    error = None
    form = filterset.form
    if not form.is_valid():
        # Each message names its field (jmzhgd.core.forms), so it is shown as it is.
        error = "；".join(
            str(message) for name, messages_ in form.errors.items() if name != copied for message in messages_
        )
    else:
        error = filterset.clean_range()
    return filterset, error


@exporter(MONTH)
def month_export(project, params: QueryDict, user=None) -> Prepared:
    report, _, error = month_report(params, project)
    if error:
        raise ValidationError(error.removesuffix("已显示本月。").rstrip("；") + "。")
    return Prepared(
        label=f"月考勤 {report.start:%Y-%m}",
        filename=f"{project.name}-{report.start:%Y-%m}-月考勤.xlsx",
        sheets=[exports.month_sheet(report)],
        rows=report.persons().count(),
    )


@exporter(DETAILS)
def details_export(project, params: QueryDict, user=None) -> Prepared:
    filterset, error = detail_filter(params, project)
    if error:
        raise ValidationError(error)
    date_from, date_to = filterset.form.cleaned_data["date_from"], filterset.form.cleaned_data["date_to"]
    return Prepared(
        label=f"考勤明细 {date_from:%Y-%m-%d} 至 {date_to:%Y-%m-%d}",
        filename=f"{project.name}-考勤明细-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx",
        sheets=[exports.details_sheet(project, filterset.qs, date_from, date_to)],
        rows=filterset.qs.count(),
    )
