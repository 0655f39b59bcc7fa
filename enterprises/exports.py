"""Exports of the unit and team lists: the page's table is the row generator (docs/architecture.md pattern 5)."""

from __future__ import annotations

from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.excel import Sheet, xlsx_response

PAGE_ONLY_COLUMNS = ("actions",)


def table_xlsx(actor: Actor, project, table, *, title: str, action: str):
    """The whole filtered table (not one page) as .xlsx; the export itself is audit-logged."""
    values = table.as_values(exclude_columns=PAGE_ONLY_COLUMNS)
    header = next(values)
    sheet = Sheet(
        name=title,
        title=f"{project.name} {title}（{timezone.localdate():%Y-%m-%d} 导出）",
        header=header,
        rows=values,
        column_widths=[24] * len(header),
    )
    audit.record(actor, action, project, project=project, summary=f"导出{title}")
    return xlsx_response(f"{project.code}_{title}_{timezone.localdate():%Y%m%d}.xlsx", [sheet])
