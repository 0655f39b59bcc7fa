"""Wage arrears (条例 art. 24, 31): the team-months whose wages are not 已发放 by the project's
工资支付日期. `overdue_months` is the base for arrears alerts: another app (an alerts module, a
dashboard) calls it with the projects in its scope; the supervisor and project pages show it.

A team-month is expected when the team had a worker (建筑工人) on its roster that month. It is overdue
when its deadline (the pay day of the next month) has passed and it has no sheet, or a sheet still
before 已发放.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from jmzhgd.core.codes import PersonCategory
from jmzhgd.core.months import month_back, month_end
from workforce.models import RosterEntry

from .models import PAID_STATES, Payroll, PayrollStatus, WageAccount
from .months import DEFAULT_PAY_DAY, pay_deadline

DEFAULT_WINDOW_MONTHS = 6


@dataclass(frozen=True)
class OverdueMonth:
    project_id: int
    project_name: str
    district: str
    team_id: int
    team_name: str
    unit_name: str
    month: datetime.date
    deadline: datetime.date
    payroll_id: int | None
    status_label: str  # 未编制 or the sheet's state

    @property
    def days_overdue(self) -> int:
        return (timezone.localdate() - self.deadline).days


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    return [month_back(today, n) for n in range(1, count + 1)]


def pay_days_of(project_ids: Iterable[int]) -> dict[int, int]:
    """The 工资支付日期 of each project that has set one (the others pay on DEFAULT_PAY_DAY)."""
    ids = list(project_ids)
    return dict(WageAccount.objects.filter(project_id__in=ids).values_list("project_id", "pay_day"))


def overdue_months(
    projects,
    *,
    today: datetime.date | None = None,
    window: int = DEFAULT_WINDOW_MONTHS,
    also: Iterable[datetime.date] = (),
):
    """The overdue team-months of `projects` (a Project queryset, already scoped by the caller) among
    the `window` months before this one and the months in `also` (first days; a caller that already
    follows an older arrear keeps seeing it), oldest deadline first. Two queries per month."""
    today = today or timezone.localdate()
    months = sorted(set(_months_back(today, window)) | {m for m in also if m < today.replace(day=1)})
    projects = {p.pk: p for p in projects.only("id", "name", "district")}
    pay_days = pay_days_of(projects)
    found = []
    for month in months:
        due = {pid for pid in projects if pay_deadline(month, pay_days.get(pid, DEFAULT_PAY_DAY)) < today}
        if not due:
            continue
        teams = (
            RosterEntry.objects.filter(project_id__in=due, category=PersonCategory.WORKER)
            .during(month, month_end(month))
            .order_by()  # no Meta ordering: its columns would defeat DISTINCT
            .values_list("project_id", "team_id", "team__name", "unit__enterprise__name")
            .distinct()
        )
        sheets = {
            team_id: (pk, status)
            for team_id, pk, status in Payroll.objects.filter(
                project_id__in=due, pay_month=month
            ).values_list("team_id", "pk", "status")
        }
        for project_id, team_id, team_name, unit_name in teams:
            payroll_id, status = sheets.get(team_id, (None, None))
            if status in PAID_STATES:
                continue
            project = projects[project_id]
            found.append(
                OverdueMonth(
                    project_id=project_id,
                    project_name=project.name,
                    district=project.get_district_display(),
                    team_id=team_id,
                    team_name=team_name,
                    unit_name=unit_name,
                    month=month,
                    deadline=pay_deadline(month, pay_days.get(project_id, DEFAULT_PAY_DAY)),
                    payroll_id=payroll_id,
                    status_label=PayrollStatus(status).label if status else "未编制",
                )
            )
    return sorted(found, key=lambda o: (o.deadline, o.project_name, o.unit_name, o.team_name))
