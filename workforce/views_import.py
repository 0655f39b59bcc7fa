"""【批量人员进场】 pages (docs/requirements.md §7.8): template, upload, preview, import, history, downloads.

Thin views: access through project_for / get_in_project, then the actions in workforce.imports.
Downloads that carry full ID numbers (the original file, the failed rows as typed) are for the
project's own account only (write access); the masked report is readable by supervisors too.
"""

from __future__ import annotations

from urllib.parse import quote

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jmzhgd.core.access import can_write_project, get_in_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.excel import XLSX_CONTENT_TYPE, without_formulas, xlsx_response
from jmzhgd.core.files import download_filename
from jmzhgd.core.filters import BootstrapFilterSet
from jmzhgd.core.forms import PlatformForm
from jmzhgd.core.list_views import ProjectListView

from . import imports
from .models import ImportBatch, ImportBatchStatus

PREVIEW_ROW_LIMIT = 500  # problem rows listed on the page; the downloads always hold all of them


class UploadForm(PlatformForm):
    file = forms.FileField(
        label="填写好的模板（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )


class ImportBatchFilter(BootstrapFilterSet):
    status = django_filters.ChoiceFilter(choices=ImportBatchStatus.choices, label="状态", empty_label="全部")
    q = django_filters.CharFilter(field_name="file_name", lookup_expr="icontains", label="文件名")

    class Meta:
        model = ImportBatch
        fields = ["q", "status"]


class ImportBatchTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name="上传时间", format="Y-m-d H:i")
    file_name = tables.Column(verbose_name="文件名")
    uploaded_by = tables.Column(verbose_name="上传人", accessor="uploaded_by__display_name", default="—")
    status = tables.Column(verbose_name="状态")
    total_rows = tables.Column(verbose_name="总行数")
    entered_count = tables.Column(verbose_name="成功进场")
    failed_count = tables.Column(verbose_name="失败")
    actions = tables.TemplateColumn(
        template_code=(
            '<a class="btn btn-sm btn-outline-primary" '
            "href=\"{% url 'workforce:import_detail' project_id=record.project_id batch_id=record.pk %}\">详细</a>"
        ),
        verbose_name="操作",
        orderable=False,
    )

    class Meta:
        model = ImportBatch
        fields = [
            "created_at",
            "file_name",
            "uploaded_by",
            "status",
            "total_rows",
            "entered_count",
            "failed_count",
        ]
        empty_text = "暂无导入记录"
        attrs = {"class": "table table-sm table-hover align-middle"}


def _batch(request, project_id: int, batch_id: int, *, write: bool = False):
    project = project_for(request, project_id, write=write)
    return project, get_in_project(
        ImportBatch.objects.select_related("project"), project, request.user, pk=batch_id
    )


@login_required
def import_start(request, project_id: int):
    """Instructions, 【下载模板】 and the upload form; a good upload opens its preview."""
    project = project_for(request, project_id, write=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.create_preview(Actor.from_request(request), project, form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            return redirect("workforce:import_detail", project_id=project.pk, batch_id=batch.pk)
    recent = ImportBatch.objects.filter(project=project).select_related("uploaded_by")[:5]
    return render(
        request,
        "workforce/import_start.html",
        {"project": project, "form": form, "recent": recent, "max_rows": imports.MAX_ROWS},
        status=400 if form.errors else 200,
    )


@login_required
def import_template(request, project_id: int):
    project = project_for(request, project_id, write=True)
    return _xlsx_download(imports.build_template(project), f"批量人员进场模板-{project.code}.xlsx")


def _xlsx_download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class ImportHistoryView(ProjectListView):
    template_name = "workforce/import_history.html"
    title = "导入记录"
    filterset_class = ImportBatchFilter
    table_class = ImportBatchTable
    per_page = 20

    def get_queryset(self):
        batches = ImportBatch.objects.visible_to(self.request.user).filter(project=self.project)
        return batches.select_related("uploaded_by")


import_history = ImportHistoryView.as_view()


@login_required
def import_detail(request, project_id: int, batch_id: int):
    """The preview (status 待确认) or the result of an import."""
    project, batch = _batch(request, project_id, batch_id)
    problems = [item for item in batch.report if item["errors"] or item["warnings"]]
    can_write = can_write_project(request.user, project)
    # An ID number that failed its check is shown as typed to the importing project only: it is
    # their own file; supervisors see that it is wrong, not what was typed.
    typed = imports.typed_ids(batch) if can_write else {}
    for item in problems:
        item["id_typed"] = typed.get(item["row"], "")
    counts = {
        status: sum(1 for item in batch.report if item["status"] == status)
        for status in ("ok", "warning", "error", "entered", "failed")
    }
    return render(
        request,
        "workforce/import_detail.html",
        {
            "project": project,
            "batch": batch,
            "problems": problems[:PREVIEW_ROW_LIMIT],
            "problems_hidden": max(len(problems) - PREVIEW_ROW_LIMIT, 0),
            "counts": counts,
            "importable": counts["ok"] + counts["warning"],
            "can_write": can_write,
            "is_preview": batch.status in imports.OPEN_STATUSES,
            "importing": batch.status == ImportBatchStatus.IMPORTING,
            "job": imports.status_payload(batch),
        },
    )


@login_required
def import_status(request, project_id: int, batch_id: int):
    """The small JSON the batch page polls while a background import runs (docs/jobs.md)."""
    _, batch = _batch(request, project_id, batch_id)
    if batch.status == ImportBatchStatus.IMPORTING and imports.recover_stalled(
        ImportBatch.objects.filter(pk=batch.pk)
    ):
        batch.refresh_from_db()
    return JsonResponse(imports.status_payload(batch), headers={"Cache-Control": "no-store"})


@require_POST
@login_required
def import_commit(request, project_id: int, batch_id: int):
    project, batch = _batch(request, project_id, batch_id, write=True)
    try:
        batch = imports.commit_or_queue(
            Actor.from_request(request), batch, confirm_warnings=request.POST.get("confirm_warnings") == "1"
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if batch.status == ImportBatchStatus.FAILED:  # the job could not be queued
            messages.error(request, batch.error)
        elif batch.status == ImportBatchStatus.IMPORTING:
            messages.info(request, f"共{batch.total_rows}行，已转为后台导入，本页会显示进度和结果。")
        else:
            _imported_message(request, batch)
    return redirect("workforce:import_detail", project_id=project.pk, batch_id=batch.pk)


def _imported_message(request, batch: ImportBatch) -> None:
    level = messages.SUCCESS if not batch.failed_count else messages.WARNING
    messages.add_message(
        request,
        level,
        f"导入完成：成功进场{batch.entered_count}人，失败{batch.failed_count}行"
        + ("，请下载失败记录修改后重新上传。" if batch.failed_count else "。"),
    )


@require_POST
@login_required
def import_abandon(request, project_id: int, batch_id: int):
    project, batch = _batch(request, project_id, batch_id, write=True)
    try:
        imports.abandon_batch(Actor.from_request(request), batch)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("workforce:import_detail", project_id=project.pk, batch_id=batch.pk)
    messages.info(request, "已放弃本次导入，没有人员进场。")
    return redirect(reverse("workforce:import", kwargs={"project_id": project.pk}))


@login_required
def import_errors(request, project_id: int, batch_id: int):
    """The failed rows as typed (full ID numbers): the project's own account only."""
    _, batch = _batch(request, project_id, batch_id, write=True)
    if not batch.original_file:  # deleted with the abandonment (imports.abandon_batch)
        raise Http404("该批次已放弃，原始文件已按规定删除。")
    stem = batch.file_name.rsplit(".", 1)[0] or "导入"
    return _xlsx_download(imports.failed_rows_workbook(batch), f"{stem}-失败记录.xlsx")


@login_required
def import_report(request, project_id: int, batch_id: int):
    """Every row's result with masked ID numbers (invalid ones as typed for the project itself)."""
    project, batch = _batch(request, project_id, batch_id)
    typed = imports.typed_ids(batch) if can_write_project(request.user, project) else {}
    stem = batch.file_name.rsplit(".", 1)[0] or "导入"
    return xlsx_response(f"{stem}-校验报告.xlsx", [imports.report_sheet(batch, typed)])


@login_required
def import_file(request, project_id: int, batch_id: int):
    """The original upload (full ID numbers): the project's own account only.

    Served as uploaded, except that formulas come back as their text and links are dropped
    (core.excel.without_formulas): the download must not run what the upload carried."""
    project, batch = _batch(request, project_id, batch_id, write=True)
    if not batch.original_file:  # deleted with the abandonment (imports.abandon_batch)
        raise Http404("该批次已放弃，原始文件已按规定删除。")
    try:
        with batch.original_file.open("rb") as handle:
            data = without_formulas(handle.read())
    except FileNotFoundError:
        raise Http404 from None
    except Exception:  # noqa: BLE001 — a stored file openpyxl cannot rewrite is not handed back
        messages.error(request, "原始文件无法安全导出，请下载失败记录或校验报告。")
        return redirect("workforce:import_detail", project_id=project.pk, batch_id=batch.pk)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    name = download_filename(batch.file_name, batch.original_file.name)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response
