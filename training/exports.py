"""培训台账: one row generator for the list's .xlsx (docs/architecture.md pattern 5)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jmzhgd.core.excel import Sheet
from jmzhgd.jobs.registry import Prepared, exporter

from .filters import TrainingFilter
from .models import Training

LEDGER = "training:ledger"
HEADER = [
    "培训日期",
    "培训类型",
    "培训名称",
    "培训时长（小时）",
    "培训人",
    "培训机构",
    "培训地址",
    "参训人数",
    "合格人数",
]
WIDTHS = [12, 10, 30, 10, 12, 24, 30, 10, 10]


def training_queryset(project) -> QuerySet:
    return Training.objects.filter(project=project).annotate(
        attendee_count=Count("attendees"),
        passed_count=Count("attendees", filter=Q(attendees__passed=True)),
    )


def training_filter(params, project) -> TrainingFilter:
    return TrainingFilter(params, queryset=training_queryset(project), project=project)


def ledger_rows(trainings: Iterable[Training]) -> Iterator[list]:
    for t in trainings:
        yield [
            t.training_date,
            t.get_training_type_display(),
            t.name,
            t.hours,
            t.trainer,
            t.organisation,
            t.place,
            t.attendee_count,
            t.passed_count,
        ]


@exporter(LEDGER)
def ledger_export(project, params, user=None) -> Prepared:
    """【导出】: the same filtered trainings as the page."""
    trainings = training_filter(params, project).qs
    today = timezone.localdate()
    return Prepared(
        label="培训台账",
        filename=f"{project.name}-培训台账-{today:%Y%m%d}.xlsx",
        sheets=[
            Sheet(
                name="培训台账",
                title=f"{project.name} 项目培训台账（{today:%Y-%m-%d}）",
                header=HEADER,
                rows=ledger_rows(trainings.iterator(chunk_size=500)),
                column_widths=WIDTHS,
                text_columns=[2, 4, 5, 6],
            )
        ],
        rows=trainings.count(),
    )
