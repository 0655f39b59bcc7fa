"""工资保证金覆盖情况 as .xlsx: the page's filtered rows through one generator (docs/architecture.md pattern 5)."""

from __future__ import annotations

from django.utils import timezone

from jmzhgd.core.excel import Sheet
from jmzhgd.jobs.registry import Prepared, exporter
from projects.models import Project

from .coverage import HEADER, coverage_queryset, coverage_rows
from .filters import CoverageFilter

COVERAGE = "deposits:coverage"
WIDTHS = [10, 30, 22, 8, 10, 16, 10, 16, 16, 10, 14, 30]


def coverage_filter(params, user) -> CoverageFilter:
    return CoverageFilter(params, queryset=Project.objects.visible_to(user))


@exporter(COVERAGE)
def coverage_export(project, params, user) -> Prepared:
    """Over the supervisor's scope (no single project), the same filters as the page."""
    rows = coverage_queryset(coverage_filter(params, user).qs)
    today = timezone.localdate()
    return Prepared(
        label="工资保证金覆盖情况",
        filename=f"工资保证金覆盖情况_{today:%Y%m%d}.xlsx",
        sheets=[
            Sheet(
                name="工资保证金",
                title=f"工资保证金覆盖情况（{today:%Y-%m-%d}）",
                header=HEADER,
                rows=coverage_rows(rows.iterator(), today),
                column_widths=WIDTHS,
                text_columns=[1, 2],
            )
        ],
        rows=rows.count(),
    )
