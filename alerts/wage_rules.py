"""Rule 7 (工资未按期发放): a team's wages for a month not 已发放 by the project's 工资支付日期
(保障农民工工资支付条例 第十二条: paid in full on the agreed day; 第三十一条: the general contractor pays
through the 工资专户 by the month's 工资支付表).

The findings come from `wages.arrears.overdue_months`, two queries per month for the whole city. The
subject is the team-month, even once a 工资支付表 exists: drawing up a sheet after the deadline pays
nobody, and re-keying the alert to the sheet would close it as 已处理 and reset its age. The detail page
links to the month's sheet (alerts.links). The alert closes by itself when the sheet is 已发放/已确认.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings

from jmzhgd.core.months import month_back
from projects.models import Project
from wages.arrears import overdue_months

from .models import Alert, SubjectType
from .registry import Context, Finding, rule

WAGE_RULE = "wage_overdue"
_MONTH_DIGITS = 1_000_000  # subject_id = team_id × 10⁶ + YYYYMM


def team_month_id(team_id: int, month: datetime.date) -> int:
    return team_id * _MONTH_DIGITS + month.year * 100 + month.month


def split_team_month(subject_id: int) -> tuple[int, datetime.date]:
    team_id, yyyymm = divmod(subject_id, _MONTH_DIGITS)
    return team_id, datetime.date(yyyymm // 100, yyyymm % 100, 1)


def followed(ctx: Context) -> set[tuple[int, datetime.date]]:
    """(project, month) of the live alerts: an arrear older than the window stays open until it is paid."""
    live = ctx.scope(Alert.objects.filter(rule=WAGE_RULE, cleared_at__isnull=True)).order_by()
    pairs = live.values_list("project_id", "subject_id").distinct()
    return {(project_id, split_team_month(subject_id)[1]) for project_id, subject_id in pairs}


@rule(
    WAGE_RULE,
    "工资未按期发放",
    "班组的月度工资在项目工资支付日期后 {ALERT_WAGE_OVERDUE_DAYS} 天仍未发放（未编制工资支付表，"
    "或工资支付表尚未到“已发放”），保障农民工工资支付条例第十二条、第三十一条。",
)
def wage_overdue(ctx: Context) -> Iterable[Finding]:

    # Overdue = deadline + threshold before today, which is overdue_months' "deadline < today" moved back.
    cutoff = ctx.today - timedelta(days=settings.ALERT_WAGE_OVERDUE_DAYS)
    projects = ctx.scope(Project.objects.all(), "pk").order_by()
    kept = followed(ctx)
    window = settings.ALERT_WAGE_WINDOW_MONTHS
    found = overdue_months(projects, today=cutoff, window=window, also={month for _, month in kept})
    recent = month_back(cutoff, window)
    for item in found:
        # A month older than the window only for the project that follows it, whatever the scope:
        # an evaluation of some projects finds what an evaluation of all finds for them.
        if item.month < recent and (item.project_id, item.month) not in kept:
            continue
        yield Finding(
            item.project_id,
            SubjectType.TEAM_MONTH,
            team_month_id(item.team_id, item.month),
            f"{item.team_name} {item.month:%Y-%m}",
            {
                "所属企业": item.unit_name,
                "工资月份": f"{item.month:%Y-%m}",
                "应发放日期": f"{item.deadline:%Y-%m-%d}",
                "工资支付表": item.status_label,
            },
        )
