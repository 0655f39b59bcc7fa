"""【导出月考勤】 and 【导出明细】: the report rows of attendance.reports written to .xlsx (pattern 5)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import QuerySet

from jmzhgd.core.excel import Sheet

from .reports import DETAIL_HEADER, MONTH_FIXED_HEADER, MonthReport, MonthTotals, detail_rows

SIGNATURE = "签名"
DETAIL_CHUNK = 2000


def month_sheet(report: MonthReport) -> Sheet:
    """The month grid with a 签名 column for the wage sheet and a 合计 line under it."""
    totals = MonthTotals(len(report.days))

    def rows() -> Iterator[list]:
        for row in report.all_rows():
            yield [*totals.add(row).values(), ""]

    def footer() -> Iterator[list]:
        yield [*totals.line(), ""]  # evaluated after the rows: the workbook writes them first

    day_count = len(report.days)
    return Sheet(
        name=f"{report.start:%Y-%m}考勤",
        title=report.title,
        header=[*report.header(), SIGNATURE],
        rows=rows(),
        footer_rows=footer(),
        column_widths=[6, 10, 21, 28, 16, 10, 12, 12, *[4] * day_count, 9, 9, 14],
        text_columns=[1, 2, 3, 4, 5, *range(len(MONTH_FIXED_HEADER), len(MONTH_FIXED_HEADER) + day_count)],
    )


def details_sheet(project, punches: QuerySet, date_from: datetime.date, date_to: datetime.date) -> Sheet:
    """Streams the punches with `.values().iterator()` into a write-only workbook,
    so memory stays flat however long the range."""
    title = f"{project.name} 考勤明细 {date_from:%Y-%m-%d} 至 {date_to:%Y-%m-%d}"
    return Sheet(
        name="考勤明细",
        title=title,
        header=DETAIL_HEADER,
        rows=(row.values() for row in detail_rows(punches, chunk_size=DETAIL_CHUNK)),
        column_widths=[20, 12, 10, 21, 28, 16, 6, 16, 10, 12, 12],
        text_columns=[2, 3, 4, 5, 7],
    )
