"""【我的导出】 (the user menu): the user's own exports, a small status JSON the page polls, and the
download. Another user's export, or one of a project the user may no longer see, is a 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.views.decorators.http import require_POST

from jmzhgd.core.excel import xlsx_response
from jmzhgd.core.files import serve_private_file

from . import services
from .models import Export, ExportState

LIST_LIMIT = 100


def _own(request, export_id: int) -> Export:
    return get_object_or_404(Export.objects.visible_to(request.user), pk=export_id)


def deliver(request, project, name: str, prepared):
    """A small export streams at once (as before); one of more rows than
    EXPORT_JOB_THRESHOLD_ROWS becomes a job and the user is taken to 【我的导出】 to watch it."""
    if prepared.rows <= settings.EXPORT_JOB_THRESHOLD_ROWS:
        return xlsx_response(prepared.filename, prepared.sheets)
    export = services.request_export(request.user, project, name, request.GET, prepared)
    messages.info(
        request,
        f"{prepared.label}共 {prepared.rows} 行，已转为后台生成，完成后可在【我的导出】下载"
        f"（保留 {settings.EXPORT_RETENTION_DAYS} 天）。",
    )
    return redirect(f"{reverse('jobs:export_list')}#export-{export.pk}")


def status_payload(export: Export) -> dict:
    ready = export.state == ExportState.READY
    return {
        "id": export.pk,
        "state": export.state,
        "state_label": export.get_state_display(),
        "done_rows": export.shown_rows,
        "total_rows": export.total_rows,
        "unit": export.unit,
        "percent": export.percent,
        "final": export.is_final,
        "error": export.error,
        "notice": services.notice(export),
        "size": filesizeformat(export.size) if ready else "",
        "download_url": reverse("jobs:export_download", args=[export.pk]) if ready else "",
    }


@login_required
def export_list(request):
    exports = Export.objects.visible_to(request.user).select_related("project")
    services.recover_stalled(exports)
    return render(
        request,
        "jobs/export_list.html",
        {"exports": exports[:LIST_LIMIT], "retention_days": settings.EXPORT_RETENTION_DAYS},
    )


@login_required
def export_status(request, export_id: int):
    export = _own(request, export_id)
    if export.state == ExportState.RUNNING and services.recover_stalled(Export.objects.filter(pk=export.pk)):
        export.refresh_from_db()
    return JsonResponse(status_payload(export), headers={"Cache-Control": "no-store"})


@login_required
@require_POST
def export_cancel(request, export_id: int):
    export = _own(request, export_id)
    if services.cancel_export(export):
        messages.success(request, f"已取消导出：{export.label}。")
    else:
        messages.info(request, "该导出已结束，无需取消。")
    return redirect(f"{reverse('jobs:export_list')}#export-{export.pk}")


@login_required
@require_POST
def export_retry(request, export_id: int):
    export = _own(request, export_id)
    if services.retry_export(export):
        messages.success(request, f"已重新排队：{export.label}，行数将重新统计。")
    else:
        messages.info(request, "只有失败或已取消的导出可以重试。")
    return redirect(f"{reverse('jobs:export_list')}#export-{export.pk}")


@login_required
def export_download(request, export_id: int):
    export = _own(request, export_id)
    if export.is_expired:
        messages.error(request, f"该导出已超过保留期限（{settings.EXPORT_RETENTION_DAYS} 天），请重新导出。")
        return redirect("jobs:export_list")
    if export.state != ExportState.READY or not export.file:
        if export.state == ExportState.FAILED:
            messages.error(request, f"该导出失败：{export.error}")
            return redirect("jobs:export_list")
        raise Http404("文件尚未生成。")
    response = serve_private_file(export.file, download_name=export.filename, inline=False)
    response["Cache-Control"] = "private, no-store"
    return response
