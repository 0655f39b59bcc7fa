"""关键岗位到岗: whether a project's key posts are on duty, read from attendance.

Supervisors inspect that 项目经理, 技术负责人, 安全负责人, 质量负责人 and 劳资专管员 (the units'
管理人员班组) and the 总监理工程师 (the 监理) are on site (settings.KEY_POSTS, 管理岗位 codes of
jmzhgd.core.seed_tables). A post is on duty on a working day (settings.KEY_POST_WORK_WEEKDAYS,
Monday to Saturday: sites work six days) when any of its holders on the project's roster counts as
present that day (DailySummary.is_present). 到岗率 = days on duty / working days of the month up to
today. Two queries for any number of projects.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from jmzhgd.core.codes import PersonCategory
from jmzhgd.core.excel import Sheet
from jmzhgd.core.months import month_start
from jmzhgd.jobs.registry import Prepared, exporter
from workforce.models import RosterEntry

from .models import DailySummary


@dataclass
class PostDuty:
    code: str
    name: str
    holders: list[str] = field(default_factory=list)
    days: set = field(default_factory=set)  # working days on duty
    working_days: list = field(default_factory=list)

    @property
    def vacant(self) -> bool:
        return not self.holders

    @property
    def present_days(self) -> int:
        return len(self.days)

    @property
    def rate(self) -> Decimal | None:
        if self.vacant or not self.working_days:
            return None
        return (Decimal(100) * self.present_days / len(self.working_days)).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    @property
    def rate_label(self) -> str:
        return "岗位空缺" if self.vacant else ("—" if self.rate is None else f"{self.rate}%")


def working_days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    weekdays = set(settings.KEY_POST_WORK_WEEKDAYS)
    return [
        first + datetime.timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + datetime.timedelta(days=n)).weekday() in weekdays
    ]


def month_bounds(month: datetime.date, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, min(last, today)


def key_post_duty(project_ids, month: datetime.date, today: datetime.date) -> dict[int, list[PostDuty]]:
    """Project id → its key posts (in settings.KEY_POSTS order) with holders and days on duty."""
    first, last = month_bounds(month, today)
    days = working_days(first, last) if last >= first else []
    names = dict(settings.KEY_POSTS)
    result = {
        pid: [PostDuty(code, name, working_days=days) for code, name in settings.KEY_POSTS]
        for pid in project_ids
    }
    if not result:
        return result
    holders = (
        RosterEntry.objects.filter(
            project_id__in=result,
            category=PersonCategory.MANAGER,
            post__code__in=names,
            entry_date__lte=max(last, first),
        )
        .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=first))
        .order_by("person__name", "id")
        .values_list("project_id", "post__code", "person_id", "person__name")
    )
    by_post: dict[tuple[int, str], PostDuty] = {
        (pid, duty.code): duty for pid, duties in result.items() for duty in duties
    }
    posts_of: dict[tuple[int, int], list[PostDuty]] = defaultdict(list)
    for pid, code, person_id, name in holders:
        duty = by_post[(pid, code)]
        if name not in duty.holders:
            duty.holders.append(name)
        posts_of[(pid, person_id)].append(duty)
    if posts_of and days:
        present = DailySummary.objects.filter(
            project_id__in={pid for pid, _ in posts_of},
            person_id__in={person for _, person in posts_of},
            is_present=True,
            work_date__range=(first, last),
        ).values_list("project_id", "person_id", "work_date")
        working = set(days)
        for pid, person_id, day in present:
            if day in working:
                for duty in posts_of.get((pid, person_id), ()):
                    duty.days.add(day)
    return result


def average_rate(duties: list[PostDuty]) -> Decimal | None:
    """A project's figure for the supervisor: the mean 到岗率 of its filled posts (vacant ones count 0)."""
    if not duties or not duties[0].working_days:
        return None
    total = sum((d.rate or Decimal(0)) for d in duties)
    return (total / len(duties)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def duty_sheet(project, month: datetime.date, today: datetime.date) -> Sheet:
    """The month table: one row per post, a column per day (√ on duty, blank off, — not a working day)."""
    first = month.replace(day=1)
    last_of_month = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    duties = key_post_duty([project.pk], first, today)[project.pk]
    working = set(working_days(first, last_of_month))
    all_days = [first + datetime.timedelta(days=n) for n in range(last_of_month.day)]

    def rows():
        for duty in duties:
            marks = ["—" if day not in working else ("√" if day in duty.days else "") for day in all_days]
            yield [
                duty.name,
                "、".join(duty.holders) or "空缺",
                *marks,
                duty.present_days,
                len(duty.working_days),
                duty.rate_label,
            ]

    return Sheet(
        name="关键岗位到岗",
        title=f"{project.name} 关键岗位到岗表（{first:%Y年%m月}）",
        header=["岗位", "人员", *[str(d.day) for d in all_days], "到岗天数", "应到天数", "到岗率"],
        rows=rows(),
        column_widths=[14, 20, *[4] * len(all_days), 9, 9, 9],
        text_columns=[0, 1],
    )


KEY_POSTS_EXPORT = "attendance:key_posts"


@exporter(KEY_POSTS_EXPORT)
def key_posts_export(project, params, user=None) -> Prepared:
    """【导出到岗表】: the month's table (?month=YYYY-MM, this month when absent)."""
    today = timezone.localdate()
    month = month_start(params.get("month"), today)
    if month is None:
        raise ValidationError("月份格式应为 YYYY-MM。")
    return Prepared(
        label=f"关键岗位到岗 {month:%Y-%m}",
        filename=f"{project.name}-{month:%Y-%m}-关键岗位到岗.xlsx",
        sheets=[duty_sheet(project, month, today)],
        rows=len(settings.KEY_POSTS),
    )


def overview_panel(request, project=None, **context) -> str:
    """项目总览's 关键岗位到岗 panel: this month's posts, holders and 到岗率."""
    today = timezone.localdate()
    duties = key_post_duty([project.pk], today, today)[project.pk]
    return render_to_string(
        "attendance/_key_posts_panel.html",
        {"project": project, "duties": duties, "month": today.replace(day=1)},
        request=request,
    )
