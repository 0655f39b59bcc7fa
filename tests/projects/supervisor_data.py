"""A small city for the supervisor's map, trends and 月报: a project in 蓬江区 and one in 台山市, with
stays, attendance over the last weeks, wage sheets and alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from alerts.models import Alert
from alerts.wage_rules import WAGE_RULE
from attendance.models import DailySummary
from jmzhgd.core.months import month_back
from projects.models import Project
from tests import factories
from wages.models import Payroll, PayrollStatus


@dataclass
class City:
    pengjiang: Project
    taishan: Project
    last_month: date


def _alert(project, rule, seen, subject_id, **fields):
    return Alert.objects.create(
        project=project,
        rule=rule,
        subject_type=fields.pop("subject_type", "project"),
        subject_id=subject_id,
        subject_label=project.name,
        first_seen_at=seen,
        last_seen_at=seen,
        **fields,
    )


def _site(project, workers: int, present: int, today: date, entered: date):
    """`workers` on site since `entered`; `present` of them present on each of the last 20 days."""
    team = factories.TeamFactory(unit=factories.UnitFactory(project=project))
    entries = [factories.RosterEntryFactory(team=team, entry_date=entered) for _ in range(workers)]
    DailySummary.objects.bulk_create(
        DailySummary(
            project=project,
            person=e.person,
            work_date=today - timedelta(days=d),
            punch_count=2,
            is_present=True,
        )
        for e in entries[:present]
        for d in range(20)
    )
    return team, entries


def build_city(today: date | None = None) -> City:
    today = today or timezone.localdate()
    last_month = month_back(today, 1)
    entered = month_back(today, 3)
    pengjiang = factories.ProjectFactory(name="蓬江安置房", district="440703", lat=22.62, lng=113.07)
    taishan = factories.ProjectFactory(name="台山大桥", district="440781", lat=22.25, lng=112.79)
    Project.objects.filter(pk__in=[pengjiang.pk, taishan.pk]).update(
        created_at=timezone.now() - timedelta(days=120)
    )
    _site(pengjiang, 2, 1, today, entered)
    team, entries = _site(taishan, 6, 3, today, entered)
    # Last month: one worker entered, one left, one contract took effect.
    factories.RosterEntryFactory(team=team, entry_date=last_month + timedelta(days=3))
    leaver = factories.RosterEntryFactory(team=team, entry_date=entered)
    leaver.exit_date = last_month + timedelta(days=9)
    leaver.save()
    factories.ContractFactory(roster_entry=entries[0], start_date=last_month + timedelta(days=1))
    # Wages: the sheet of two months ago paid on time; last month's still unpaid (due this month).
    Payroll.objects.create(
        project=taishan,
        unit=team.unit,
        team=team,
        pay_month=month_back(today, 2),
        status=PayrollStatus.PAID,
        balance_date=last_month + timedelta(days=5),
    )
    seen = timezone.make_aware(
        timezone.datetime.combine(last_month + timedelta(days=12), timezone.datetime.min.time())
    )
    _alert(taishan, WAGE_RULE, seen, 1, subject_type="team_month")
    _alert(taishan, "worker_report", seen, 2, subject_type="report")
    _alert(
        pengjiang, "id_expiring", seen, 3, subject_type="person", cleared_at=timezone.now(), state="resolved"
    )
    return City(pengjiang, taishan, last_month)
