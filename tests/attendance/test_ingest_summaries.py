"""Punches that arrive through ingestion keep the daily summaries and the month grid current."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from attendance.ingest import ingest_punches
from attendance.models import DailySummary, Punch
from attendance.reports import PRESENT, MonthReport, entries_in_month
from jmzhgd.core.actor import Actor

pytestmark = pytest.mark.django_db
APRIL = datetime.date(2026, 4, 1)


def item(entry, time, direction="01", record_id=""):
    return {
        "idCardNumber": entry.person.id_number,
        "name": entry.person.name,
        "time": time,
        "direction": direction,
        "recordId": record_id,
    }


def grid_row(site, name):
    report = MonthReport(project=site.project, start=APRIL, entries=entries_in_month(site.project, APRIL))
    return next(row for row in report.all_rows() if row.person.name == name)


def test_an_ingested_day_appears_in_the_grid_at_once(site):
    entry = site.mid_month
    ingest_punches(
        Actor.system(),
        site.project,
        [item(entry, "2026-04-20 07:58:00"), item(entry, "2026-04-20 18:02:00", "02")],
    )
    summary = DailySummary.objects.get(person=entry.person, work_date=datetime.date(2026, 4, 20))
    assert (summary.punch_count, summary.hours, summary.is_present) == (2, Decimal("10.07"), True)
    assert grid_row(site, "李中途").marks[19] == PRESENT


def test_a_resent_punch_does_not_change_the_totals(site):
    entry = site.mid_month
    batch = [item(entry, "2026-04-21 08:00:00"), item(entry, "2026-04-21 17:00:00", "02")]
    ingest_punches(Actor.system(), site.project, batch)
    before = grid_row(site, "李中途")
    outcome = ingest_punches(Actor.system(), site.project, batch)
    assert {r.status for r in outcome.results} == {"duplicate"}
    after = grid_row(site, "李中途")
    assert Punch.objects.filter(person=entry.person, work_date=datetime.date(2026, 4, 21)).count() == 2
    assert (after.days_present, after.hours, after.marks) == (before.days_present, before.hours, before.marks)


def test_a_punch_after_midnight_shanghai_time_lands_on_the_shanghai_day(site):
    entry = site.mid_month
    ingest_punches(
        Actor.system(), site.project, [item(entry, "2026-04-22T16:30:00+00:00")]
    )  # 00:30 on the 23rd
    punch = Punch.objects.get(person=entry.person, work_date=datetime.date(2026, 4, 23))
    assert punch.punched_at == datetime.datetime(2026, 4, 22, 16, 30, tzinfo=datetime.UTC)
    assert DailySummary.objects.filter(person=entry.person, work_date=datetime.date(2026, 4, 23)).exists()
    assert not DailySummary.objects.filter(person=entry.person, work_date=datetime.date(2026, 4, 22)).exists()
    row = grid_row(site, "李中途")
    assert row.marks[22] == PRESENT and row.marks[21] != PRESENT


def test_a_punch_of_someone_not_on_the_roster_that_day_does_not_count(site):
    entry = site.mid_month  # entered on 04-15
    ingest_punches(Actor.system(), site.project, [item(entry, "2026-04-05 08:00:00")])
    assert Punch.objects.get(person=entry.person, work_date=datetime.date(2026, 4, 5)).is_anomaly
    assert not DailySummary.objects.filter(person=entry.person, work_date=datetime.date(2026, 4, 5)).exists()
