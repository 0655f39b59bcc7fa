"""月报 (the bureau's monthly report): the page with its A4 print, and the request that has it
written as an .xlsx by a background job into 【我的导出】 (docs/jobs.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from jmzhgd.core.access import require_supervisor
from jmzhgd.jobs import services as jobs

from . import monthly_report as report


@login_required
@require_http_methods(["GET", "POST"])
def monthly_report(request):
    """GET ?month=YYYY-MM: the month's report (default: last month). POST: queue it as a job."""
    require_supervisor(request.user)
    today = timezone.localdate()
    months = report.past_months(today)
    data = request.POST if request.method == "POST" else request.GET
    try:
        month = report.parse_report_month(data.get("month") or f"{months[0]:%Y-%m}", today)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("projects:monthly_report")
    if request.method == "POST":
        params = QueryDict(mutable=True)
        params["month"] = f"{month:%Y-%m}"
        prepared = report.prepare_monthly_report(None, params, request.user)
        export = jobs.request_export(request.user, None, report.MONTHLY_REPORT, params, prepared)
        messages.info(request, f"{prepared.label}已转为后台生成，完成后可在【我的导出】下载。")
        return redirect(f"{reverse('jobs:export_list')}#export-{export.pk}")
    return render(
        request,
        "projects/monthly_report.html",
        {
            "report": report.build(request.user, month, today),
            "title": report.title(request.user, month),
            "months": months,
            "district_header": report.DISTRICT_HEADER,
        },
    )
