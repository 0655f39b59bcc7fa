"""Exports, the bank's result and the scans of a 工资支付表. Every download is audit-logged (it carries
names, and the bank file full card numbers); scans are private files served after the project check."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.excel import xlsx_response
from jmzhgd.core.files import serve_private_file

from . import bank_results, exports, sealed, services
from .forms import BankResultForm
from .views_sheets import payroll_in, totals_of


def _audit_export(request, payroll, what: str) -> None:
    audit.record(
        Actor.from_request(request),
        "payroll.export",
        payroll,
        project=payroll.project_id,
        summary=f"导出{what}：{payroll}",
    )


@login_required
def export_xlsx(request, project_id, payroll_id):
    """The printable 工资支付表 as .xlsx (A4 landscape, totals, signature column)."""
    _, payroll = payroll_in(request, project_id, payroll_id)
    _audit_export(request, payroll, "工资支付表")
    return exports.payroll_workbook_response(payroll)


@login_required
def print_sheet(request, project_id, payroll_id):
    """The print page of the sheet (A4 landscape): the same rows, totals and column widths as the .xlsx.
    Every cell stays on one line (a name never wraps a character per line) but the 开户行 one, and a
    team of 30 fits one page (tests/e2e/test_wage_sheet_print.py prints it to PDF)."""
    project, payroll = payroll_in(request, project_id, payroll_id)
    return render(
        request,
        "wages/print.html",
        {
            "project": project,
            "payroll": payroll,
            "meta": exports.sheet_meta(payroll),
            "header": exports.SHEET_HEADER,
            "widths": exports.sheet_width_percents(),
            "number_columns": exports.SHEET_NUMBER_COLUMNS,
            "wrap_columns": exports.SHEET_WRAP_COLUMNS,
            "rows": list(exports.sheet_rows(payroll)),
            "totals": exports.sheet_totals(payroll),
        },
    )


@login_required
def sealed_pdf(request, project_id, payroll_id):
    """The sheet with every worker's signature, sealed by the platform (wages.sealed); audit-logged."""
    project, payroll = payroll_in(request, project_id, payroll_id)
    try:
        data = sealed.sealed_sheet_pdf(payroll)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("wages:detail", project_id=project.pk, payroll_id=payroll.pk)
    _audit_export(request, payroll, "电子签章工资支付表")
    response = HttpResponse(data, content_type="application/pdf")
    name = quote(f"{payroll.team.name}-{payroll.month_label}-工资支付表-电子签章.pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@login_required
def slips(request, project_id, payroll_id):
    """工资清单 (条例 art. 15): one slip per worker, to cut out and hand over."""
    project, payroll = payroll_in(request, project_id, payroll_id)
    rows = list(payroll.rows.select_related("person").order_by("id"))
    return render(
        request,
        "wages/slips.html",
        {"project": project, "payroll": payroll, "rows": rows, "totals": totals_of(rows)},
    )


@login_required
def bank_file(request, project_id, payroll_id):
    """The bank's 代发 batch (户名, 卡号, 金额, 用途): full card numbers, so audit-logged."""
    project, payroll = payroll_in(request, project_id, payroll_id, write=True)
    try:
        services.fill_missing_cards(Actor.from_request(request), payroll)
        sheets, apart = exports.bank_file_sheets(payroll)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("wages:detail", project_id=project.pk, payroll_id=payroll.pk)
    if apart:
        messages.warning(
            request,
            f"{len(apart)}人没有登记本项目的工资卡，未列入代发明细，已在文件的「未登记工资卡」页单列："
            f"{'、'.join(apart[:20])}。登记工资卡后可重新导出。",
        )
    _audit_export(request, payroll, "银行代发文件")
    return xlsx_response(f"{payroll.team.name}-{payroll.month_label}-银行代发.xlsx", sheets)


@login_required
def bank_result(request, project_id, payroll_id):
    """Import the bank's result: every line checked first, errors listed per line, nothing half-written."""
    project, payroll = payroll_in(request, project_id, payroll_id, write=True)
    form = BankResultForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = bank_results.import_bank_result(
                Actor.from_request(request), payroll, form.cleaned_data["file"]
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            text = f"已导入银行代发结果：成功 {result.paid} 人，失败 {result.failed} 人。"
            if result.sheet_paid:
                text += "全部发放成功，工资支付表已标记为已发放。"
            messages.success(request, text)
            return redirect("wages:detail", project_id=project.pk, payroll_id=payroll.pk)
    return render(
        request,
        "wages/bank_result.html",
        {"project": project, "payroll": payroll, "form": form, "errors": errors},
    )


@login_required
def voucher(request, project_id, payroll_id):
    _, payroll = payroll_in(request, project_id, payroll_id)
    return serve_private_file(payroll.voucher)


@login_required
def signature(request, project_id, payroll_id):
    _, payroll = payroll_in(request, project_id, payroll_id)
    return serve_private_file(payroll.signature_scan)
