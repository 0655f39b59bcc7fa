"""批量人员进场: the failed-rows file and the 校验报告 download."""

from __future__ import annotations

import datetime

from jmzhgd.core.excel import Sheet

from ..models import ImportBatch
from .read import parse_workbook
from .shape import COL_ENTRY_DATE, COLUMNS, DATA_SHEET, REPORT_COLUMNS
from .validate import format_problem


def cell_as_typed(value: object) -> object:
    """A cell read from an upload, for writing back into an error file."""
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, float):
        return repr(value)  # shown as typed would be misleading; this is what the file really held
    return value


def failed_rows_sheet(batch: ImportBatch) -> Sheet:
    """The failed rows as uploaded, with 原行号 and 失败原因, ready to fix and upload again.

    The cells are the user's own (including the ID number as typed, which they need to correct);
    this file is served only to the project's own account (views_import.import_errors).
    """
    failing = {"error", "failed"}
    reasons = {
        item["row"]: "；".join(f"{column}: {reason}" for column, reason in item["errors"])
        for item in batch.report
        if item["status"] in failing
    }
    with batch.original_file.open("rb") as handle:
        raw_rows = parse_workbook(handle.read())
    rows = (
        [cell_as_typed(raw.values[c]) for c in COLUMNS] + [raw.number, reasons[raw.number]]
        for raw in raw_rows
        if raw.number in reasons
    )
    text_columns = [i for i, c in enumerate(COLUMNS) if c != COL_ENTRY_DATE]
    return Sheet(
        name=DATA_SHEET,
        header=COLUMNS + list(REPORT_COLUMNS),
        rows=rows,
        text_columns=text_columns,
        column_widths=[12, 14, 24, 36, 20, 12, 18, 12, 12, 8, 80],
    )


STATUS_LABELS = {
    "ok": "通过",
    "warning": "通过（需确认）",
    "error": "失败",
    "entered": "已进场",
    "failed": "失败",
}


def report_sheet(batch: ImportBatch) -> Sheet:
    """The whole report (every row, masked ID numbers), readable by whoever reads the project."""

    def rows():
        for item in batch.report:
            problems = [format_problem(item["row"], c, r) for c, r in item["errors"]]
            notes = [format_problem(item["row"], c, r) for c, r in item["warnings"]]
            yield [
                item["row"],
                item["name"],
                item["id"],
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
