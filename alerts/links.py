"""The 工资支付表 an alert is about, for its detail page: the month's sheet of an overdue team-month
(rule 7), or the sheets of the worker's team(s) for the month a 工资 report names (rule 9).

Every sheet is read within the alert's project, which the page has already checked the caller may see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from .models import Alert
from .registry import WORKER_REPORT_RULE
from .wage_rules import WAGE_RULE, split_team_month

REPORT_MONTH_FACT = "工资月份"


@dataclass(frozen=True)
class SheetLink:
    label: str
    url: str


def wage_sheets(alert: Alert) -> list[SheetLink] | None:
    """The sheets to link to, [] when none is drawn up yet, None when the alert is not about wages."""
    from jmzhgd.core.months import month_end, parse_month
    from wages.models import Payroll
    from workforce.models import RosterEntry

    if alert.rule == WAGE_RULE:
        team_id, month = split_team_month(alert.subject_id)
        teams = [team_id]
    elif alert.rule == WORKER_REPORT_RULE and alert.facts.get(REPORT_MONTH_FACT):
        month = parse_month(alert.facts[REPORT_MONTH_FACT])
        if month is None:
            return None
        stays = RosterEntry.objects.filter(project_id=alert.project_id, person_id=alert.subject_id).during(
            month, month_end(month)
        )
        teams = list(stays.values_list("team_id", flat=True))
    else:
        return None
    sheets = Payroll.objects.filter(
        project_id=alert.project_id, team_id__in=teams, pay_month=month
    ).select_related("team")
    return [
        SheetLink(
            f"{sheet.team.name} {sheet.month_label} 工资支付表（{sheet.get_status_display()}）",
            reverse("wages:detail", kwargs={"project_id": alert.project_id, "payroll_id": sheet.pk}),
        )
        for sheet in sheets.order_by("team__name", "id")
    ]
