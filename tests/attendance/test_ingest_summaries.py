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


def test_summaries_counted_batch_by_batch_equal_a_rebuild_from_the_punches(site):
    """On PostgreSQL each upload merges its punches into the summaries (earliest of the earliest,
    sum of the counts); whatever order the punches arrive in, the rows must equal a recomputation
    from all the punches."""
    from attendance.summaries import SUMMARY_FIELDS, rebuild_daily_summaries

    entry, other = site.mid_month, site.whole_month
    batches = [
        # an exit first, then an entry earlier that day, then a later exit and a late entry
        [item(entry, "2026-04-21 17:30:00", "02"), item(other, "2026-04-21 12:00:00", "01")],
        [item(entry, "2026-04-21 07:55:00", "01"), item(other, "2026-04-21 06:00:00", "02")],
        [item(entry, "2026-04-21 19:10:00", "02"), item(entry, "2026-04-21 20:00:00", "01")],
        # a resend changes nothing; a new day for one of them; seconds that round half up
        [item(entry, "2026-04-21 17:30:00", "02"), item(other, "2026-04-22 08:00:00", "01")],
        [item(other, "2026-04-22 16:00:18", "02"), item(other, "2026-04-21 12:00:01", "01")],
    ]
    for batch in batches:
        ingest_punches(Actor.system(), site.project, batch)

    fields = ("person_id", "work_date", *SUMMARY_FIELDS)
    days = [datetime.date(2026, 4, 21), datetime.date(2026, 4, 22)]
    counted = sorted(DailySummary.objects.filter(work_date__in=days).values_list(*fields))
    rebuild_daily_summaries(project=site.project, date_from=days[0], date_to=days[-1])
    assert sorted(DailySummary.objects.filter(work_date__in=days).values_list(*fields)) == counted
    mine = DailySummary.objects.get(person=entry.person, work_date=days[0])
    assert (mine.punch_count, mine.hours) == (4, Decimal("11.25"))  # 07:55 in → 19:10 out
    theirs = DailySummary.objects.get(person=other.person, work_date=days[1])
    assert theirs.hours == Decimal("8.01")  # 8 h 0 min 18 s


@pytest.mark.django_db(transaction=True)
def test_two_uploads_for_the_same_person_day_at_once_both_count(site, monkeypatch):
    """Upload A has counted its punch into the summary and not yet committed when upload B counts
    another punch of the same person-day. A recomputation in B (from the punches B can see, not A's)
    would overwrite A's count once A commits; merging both into the row counts both."""
    import threading

    from django.db import connection

    from attendance import ingest

    entry = site.mid_month
    reached, proceed = threading.Event(), threading.Event()
    touch_device = ingest._touch_device

    def hold_upload_a(*args, **kwargs):
        # Called once the batch is stored and counted (store_batch), before the commit.
        if threading.current_thread().name == "upload-a":
            reached.set()
            proceed.wait(10)
        return touch_device(*args, **kwargs)

    monkeypatch.setattr(ingest, "_touch_device", hold_upload_a)
    errors = []

    def upload(punch):
        try:
            ingest_punches(Actor.system(), site.project, [punch])
        except Exception as exc:  # reported below; a thread's exception would be lost
            errors.append(exc)
        finally:
            connection.close()

    a = threading.Thread(target=upload, args=(item(entry, "2026-04-23 07:50:00"),), name="upload-a")
    b = threading.Thread(target=upload, args=(item(entry, "2026-04-23 17:40:00", "02"),), name="upload-b")
    a.start()
    assert reached.wait(10)
    b.start()
    b.join(0.5)  # B now waits for A (PostgreSQL: the summary row; SQLite: the write lock)
    proceed.set()
    a.join(10)
    b.join(10)
    assert not errors, errors
    summary = DailySummary.objects.get(person=entry.person, work_date=datetime.date(2026, 4, 23))
    assert (summary.punch_count, summary.hours) == (2, Decimal("9.83"))
