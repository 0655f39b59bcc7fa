"""Exports of a 工资支付表 (docs/architecture.md pattern 5: one row generator, the page and the .xlsx alike).

- `sheet_rows`: the printable 工资支付表 with the fields 条例 art. 15 requires (用人单位名称, 支付周期,
  支付日期, 姓名, 身份证号码, 联系方式, 工作时间, 应发, 代扣代缴, 实发, 银行代发凭证或签字).
- `bank_file_sheets`: the bank's 代发 batch (户名, 卡号, 金额, 用途), and apart the lines without a card.
  金额 follows the 代发 templates' rule (元, exactly two decimals): it is written as the text "850.00", as
  卡号 is text, because a number cell holds 850 and a bank system that reads the cell gets 850, not the
  amount as the sheet states it.
Text that starts like a formula is written as a string cell (jmzhgd.core.excel), never a formula.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jmzhgd.core.excel import XLSX_CONTENT_TYPE, Sheet, starts_like_a_formula

from .models import Payroll, RowPayStatus
from .money import as_yuan

SHEET_HEADER = [
    "序号",
    "姓名",
    "身份证号码",
    "联系方式",
    "出勤天数",
    "总工时",
    "应发金额(元)",
    "代扣代缴(元)",
    "实发金额(元)",
    "工资卡开户行",
    "工资卡号",
    "发放结果",
    "本人签字",
]
# Column widths in Excel's units (one digit of the default font; a Chinese character takes two). The
# print page uses the same list as shares of the A4 landscape width, so paper and .xlsx look alike:
# 姓名 holds six characters, 身份证号码 and 工资卡号 their masked digits, 本人签字 room for a hand.
SHEET_WIDTHS = [5, 12, 20, 13, 8, 8, 11, 11, 11, 18, 21, 9, 14]
SHEET_NUMBER_COLUMNS = {5, 6, 7, 8, 9}  # 1-based, as a template's forloop.counter: 出勤天数 … 实发金额
SHEET_WRAP_COLUMNS = {10}  # 工资卡开户行, the one free text that may take two lines on paper


def sheet_width_percents() -> list[str]:
    """SHEET_WIDTHS as shares of the printed page's width, so paper and .xlsx keep one layout."""
    total = sum(SHEET_WIDTHS)
    return [f"{100 * width / total:.2f}" for width in SHEET_WIDTHS]


def sheet_meta(payroll: Payroll) -> list[tuple[str, str]]:
    """The sheet's heading fields (art. 15): who pays, for which period, on which day."""
    return [
        ("用人单位名称", payroll.unit.enterprise.name),
        ("项目名称", payroll.project.name),
        ("班组", payroll.team.name),
        ("支付周期", f"{payroll.pay_month:%Y年%m月}（按月）"),
        ("支付日期", f"{payroll.balance_date:%Y-%m-%d}" if payroll.balance_date else "未发放"),
        ("状态", payroll.get_status_display()),
    ]


def sheet_rows(payroll: Payroll) -> Iterator[list]:
    rows = payroll.rows.select_related("person").order_by("id")
    for number, row in enumerate(rows, start=1):
        yield [
            number,
            row.person.name,
            row.person.id_number_masked,
            row.person.phone,
            row.days,
            row.work_hours,
            row.total_amount,
            row.deductions,
            row.actual_amount,
            row.bank_name,
            row.bank_card_number_masked,
            row.get_pay_status_display(),
            "已签字" if row.signed else "",
        ]


def sheet_totals(payroll: Payroll) -> list:
    rows = list(payroll.rows.values_list("days", "work_hours", "total_amount", "deductions", "actual_amount"))
    sums = [sum((r[i] for r in rows), Decimal(0) if i else 0) for i in range(5)]
    return ["合计", f"{len(rows)}人", "", "", *sums, "", "", "", ""]


_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _value(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # a worksheet cannot hold control characters
    if isinstance(value, Decimal):
        return float(value)
    return value


def _append(ws, values) -> None:
    """A row of the printable sheet. Text that starts like a formula is a string cell with Excel's
    quote prefix (ASVS 1.2.10), shown exactly as typed and never evaluated, as in every export."""
    ws.append([_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and starts_like_a_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


def payroll_workbook_response(payroll: Payroll) -> FileResponse:
    """The printable .xlsx: A4 landscape, fitted to the page width, the heading fields, the rows, the
    totals line and a signature column. A normal (not write-only) workbook, because page setup, merged
    title cells and borders need one; a sheet is one team's month, a few hundred rows at most."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = f"{payroll.pay_month:%Y-%m}工资支付表"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    width = len(SHEET_HEADER)
    _append(ws, [f"{payroll.project.name} {payroll.team.name} {payroll.pay_month:%Y年%m月}农民工工资支付表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font, ws["A1"].alignment = Font(bold=True, size=14), Alignment(horizontal="center")
    meta = sheet_meta(payroll)
    _append(ws, [v for pair in meta[:3] for v in pair])
    _append(ws, [v for pair in meta[3:] for v in pair])
    ws.append(SHEET_HEADER)
    header_row = ws.max_row
    for row in sheet_rows(payroll):
        _append(ws, row)
    _append(ws, sheet_totals(payroll))
    ws.append(["编制人（分包）：", "", "", "审核人（总包）：", "", "", "劳资专管员："])
    for row in ws.iter_rows(min_row=header_row, max_row=ws.max_row - 1):
        for cell in row:
            cell.border = _BORDER
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for cell in ws[ws.max_row - 1]:
        cell.font = Font(bold=True)
    for index, column_width in enumerate(SHEET_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column_width
    ws.print_title_rows = f"{header_row}:{header_row}"
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(spool)
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
    name = f"{payroll.team.name}-{payroll.month_label}-工资支付表.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


BANK_HEADER = ["户名", "卡号", "金额", "用途", "开户行"]


def bank_file_sheets(payroll: Payroll) -> tuple[list[Sheet], list[str]]:
    """The bank's 代发 batch: one line per worker with something to pay and not yet paid, read from the
    sheet's rows (each holds the card this project pays him into). Refused before the general
    contractor's approval. A worker without a card is not a line the bank could pay: he is listed
    apart, on a second worksheet, and named in the answer; the others are paid. Returns the sheets
    and the names listed apart."""
    if not payroll.allows_bank_file:
        raise ValidationError("工资支付表审核后才能导出银行代发文件。")
    rows = list(
        payroll.rows.select_related("person")
        .filter(actual_amount__gt=0)
        .exclude(pay_status=RowPayStatus.PAID)
        .order_by("id")
    )
    carded = [row for row in rows if row.bank_card_number]
    apart = [row for row in rows if not row.bank_card_number]
    if apart and not carded:
        raise ValidationError(
            f"本表待发放的{len(apart)}人都没有登记本项目的工资卡，无法生成银行代发文件。"
            "请在人员详细页【修改人员信息】中登记工资卡（已退场的人员也可登记）后再导出。"
        )
    purpose = f"{payroll.pay_month:%Y年%m月}工资"
    sheets = [
        Sheet(
            name="代发明细",
            header=BANK_HEADER,
            rows=(
                [r.person.name, r.bank_card_number, as_yuan(r.actual_amount), purpose, r.bank_name]
                for r in carded
            ),
            column_widths=[12, 26, 14, 16, 24],
            text_columns=[1, 2],
        )
    ]
    if apart:
        sheets.append(
            Sheet(
                name="未登记工资卡",
                header=["姓名", "金额", "说明"],
                rows=([r.person.name, as_yuan(r.actual_amount), MISSING_CARD_NOTE] for r in apart),
                column_widths=[12, 14, 60],
            )
        )
    return sheets, [row.person.name for row in apart]


MISSING_CARD_NOTE = "本项目未登记此人的工资卡，未列入代发明细；登记工资卡后重新导出，或以其他方式发放并记录。"
