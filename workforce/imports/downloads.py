"""批量人员进场: the failed-rows file and the 校验报告 download."""

from __future__ import annotations

import datetime
import io
from copy import copy

from django.core.exceptions import ValidationError
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from jmzhgd.core.excel import Sheet, starts_like_a_formula

from ..models import ImportBatch
from .cells import read_date
from .read import _blank, parse_workbook
from .shape import COL_ENTRY_DATE, COL_ID_NUMBER, COLUMNS, DATA_SHEET, REPORT_COLUMNS
from .template import template_workbook
from .validate import format_problem


def cell_as_typed(value: object) -> object:
    """A cell read from an upload, for writing back into an error file."""
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, float):
        return repr(value)  # shown as typed would be misleading; this is what the file really held
    return value


def _failure_reasons(batch: ImportBatch) -> dict[int, str]:
    return {
        item["row"]: "；".join(f"{column}: {reason}" for column, reason in item["errors"])
        for item in batch.report
        if item["status"] in {"error", "failed"}
    }


def _entry_date(value: object) -> object:
    """进场日期 as a date wherever it reads as one (text such as 2026/3/5 too), in the template's
    date format; what does not read as a date comes back as typed, for the user to correct."""
    if _blank(value):
        return None
    try:
        return read_date(value, default=None)
    except ValidationError:
        return cell_as_typed(value)


def _put(cell, value: object, *, text: bool) -> None:
    """One cell of the failed-rows file, keeping the template's number format.

    User text is a string cell whatever it looks like (ASVS 1.2.10): text starting like a formula
    gets Excel's quote prefix and is never evaluated; text columns never become numbers."""
    if isinstance(value, bool):
        value = "是" if value else "否"
    if value is None or value == "":
        return
    if text or isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = starts_like_a_formula(value)
    else:
        cell.value = value


def failed_rows_workbook(batch: ImportBatch) -> bytes:
    """The failed rows as uploaded, in the project's template (docs/requirements.md §7.8, docs/architecture.md pattern 4).

    The same workbook as 【下载模板】: the help sheet, the text-formatted ID column, the date column,
    the dropdowns; the rows fill it from row 2, with 原行号 and 失败原因 after the template's columns
    (the header check accepts them), so the file can be fixed and uploaded again as it is.
    The cells are the user's own (including the ID number as typed, which they need to correct);
    this file is served only to the project's own account (views_import.import_errors).
    """
    reasons = _failure_reasons(batch)
    with batch.original_file.open("rb") as handle:
        raw_rows = parse_workbook(handle.read())
    workbook = template_workbook(batch.project)
    sheet = workbook[DATA_SHEET]
    extra = len(COLUMNS) + 1
    for offset, (title, width) in enumerate(zip(REPORT_COLUMNS, (8, 80), strict=True)):
        header = sheet.cell(row=1, column=extra + offset, value=title)
        header._style = copy(sheet.cell(row=1, column=1)._style)
        sheet.column_dimensions[get_column_letter(extra + offset)].width = width
    failed = (raw for raw in raw_rows if raw.number in reasons)
    for row_index, raw in enumerate(failed, start=2):
        for column_index, title in enumerate(COLUMNS, start=1):
            value = (
                _entry_date(raw.values[title])
                if title == COL_ENTRY_DATE
                else cell_as_typed(raw.values[title])
            )
            _put(sheet.cell(row=row_index, column=column_index), value, text=title != COL_ENTRY_DATE)
        sheet.cell(row=row_index, column=extra, value=raw.number)
        _put(sheet.cell(row=row_index, column=extra + 1), reasons[raw.number], text=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def typed_ids(batch: ImportBatch) -> dict[int, str]:
    """Row number → the ID cell as typed, for the rows whose ID number is not valid.

    Such a row has no masked number to show; the typed value is the project's own file, so only the
    project's own account is shown it (views_import). Read from the stored upload, never copied into
    the report (which supervisors read too); empty once the upload is deleted."""
    wrong = {item["row"] for item in batch.report if item.get("id_wrong")}
    if not wrong or not batch.original_file:
        return {}
    try:
        with batch.original_file.open("rb") as handle:
            raw_rows = parse_workbook(handle.read())
    except (FileNotFoundError, ValidationError):
        return {}
    return {
        raw.number: str(cell_as_typed(raw.values[COL_ID_NUMBER])) for raw in raw_rows if raw.number in wrong
    }


STATUS_LABELS = {
    "ok": "通过",
    "warning": "通过（需确认）",
    "error": "失败",
    "entered": "已进场",
    "failed": "失败",
}


WRONG_ID = "号码有误"


def id_cell_text(item: dict, typed: dict[int, str]) -> str:
    """The 证件号码 of a report row: masked when valid; as typed and marked wrong when not, for the
    importing project (`typed`, from typed_ids); only the mark for anyone else."""
    if item["id"] or not item.get("id_wrong"):
        return item["id"]
    if item["row"] in typed:
        return f"{typed[item['row']]}（{WRONG_ID}）"
    return f"（{WRONG_ID}）"


def report_sheet(batch: ImportBatch, typed: dict[int, str] | None = None) -> Sheet:
    """The whole report (every row, masked ID numbers), readable by whoever reads the project;
    `typed` (the importing project's own view) adds the invalid ID numbers as typed."""
    typed = typed or {}

    def rows():
        for item in batch.report:
            problems = [format_problem(item["row"], c, r) for c, r in item["errors"]]
            notes = [format_problem(item["row"], c, r) for c, r in item["warnings"]]
            yield [
                item["row"],
                item["name"],
                id_cell_text(item, typed),
                STATUS_LABELS[item["status"]],
                "；".join(problems),
                "；".join(notes),
            ]

    return Sheet(
        name="校验报告",
        title=f"批量人员进场校验报告：{batch.file_name}",
        header=["行号", "姓名", "证件号码", "结果", "失败原因", "提醒"],
        rows=rows(),
        text_columns=[1, 2, 4, 5],
        column_widths=[8, 12, 24, 14, 80, 50],
    )
