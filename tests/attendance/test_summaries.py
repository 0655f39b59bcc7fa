"""Daily summaries: derived from matched punches, refreshed per person-day, rebuildable."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from attendance.models import AnomalyStatus, DailySummary, Punch
from attendance.summaries import rebuild_daily_summaries, refresh_daily_summaries, shanghai_work_date
from tests import factories

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0, month: int = 4) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=SH)


@pytest.fixture
def entry(project):
    team = factories.TeamFactory(unit=factories.UnitFactory(project=project))
    return factories.RosterEntryFactory(team=team, entry_date=datetime.date(2026, 3, 3))


def punch(entry, when, direction="01", **extra):
    return factories.PunchFactory(roster_entry=entry, punched_at=when, direction=direction, **extra)


def summary_of(entry, day):
    return DailySummary.objects.get(project=entry.project, person=entry.person, work_date=day)


def test_first_in_and_last_out_prefer_entry_and_exit_punches(entry):
    punch(entry, at(1, 7, 50), "02")  # an exit punch before the first entry punch
    punch(entry, at(1, 8, 0), "01")
    punch(entry, at(1, 12, 0), "01")
    punch(entry, at(1, 17, 30), "02")
    punch(entry, at(1, 18, 0), "01")  # a late entry punch after the last exit punch
    refresh_daily_summaries(entry.project_id, [(entry.person_id, datetime.date(2026, 4, 1))])
    summary = summary_of(entry, datetime.date(2026, 4, 1))
    assert summary.first_in == at(1, 8, 0)
    assert summary.last_out == at(1, 17, 30)
    assert summary.punch_count == 5
    assert summary.hours == Decimal("9.50")
    assert summary.is_present


def test_without_direction_pairs_the_earliest_and_latest_punch_are_used(entry):
    punch(entry, at(2, 8, 10), "01")
    punch(entry, at(2, 16, 30), "01")
    refresh_daily_summaries(entry.project_id, [(entry.person_id, datetime.date(2026, 4, 2))])
    summary = summary_of(entry, datetime.date(2026, 4, 2))
    assert (summary.first_in, summary.last_out) == (at(2, 8, 10), at(2, 16, 30))
    assert summary.hours == Decimal("8.33")


def test_a_single_punch_is_a_day_of_attendance_with_zero_hours(entry):
    punch(entry, at(3, 8, 0))
    refresh_daily_summaries(entry.project_id, [(entry.person_id, datetime.date(2026, 4, 3))])
    summary = summary_of(entry, datetime.date(2026, 4, 3))
    assert summary.hours == Decimal("0.00")
    assert summary.punch_count == 1
    assert summary.is_present


def test_what_counts_as_a_day_of_attendance_is_a_setting(entry, settings):
    settings.ATTENDANCE_MIN_PUNCHES = 2
    settings.ATTENDANCE_MIN_HOURS = 4
    punch(entry, at(4, 8, 0))
    punch(entry, at(5, 8, 0))
    punch(entry, at(5, 11, 0), "02")
    punch(entry, at(6, 8, 0))
    punch(entry, at(6, 17, 0), "02")
    days = [datetime.date(2026, 4, d) for d in (4, 5, 6)]
    refresh_daily_summaries(entry.project_id, [(entry.person_id, d) for d in days])
    assert [summary_of(entry, d).is_present for d in days] == [False, False, True]


def test_a_punch_after_midnight_shanghai_time_lands_on_that_shanghai_day(entry):
    late = at(10, 0, 30)  # 2026-04-09 16:30 UTC
    assert late.astimezone(datetime.UTC).date() == datetime.date(2026, 4, 9)
    assert shanghai_work_date(late) == datetime.date(2026, 4, 10)
    assert shanghai_work_date(late.astimezone(datetime.UTC)) == datetime.date(2026, 4, 10)
    p = punch(entry, late.astimezone(datetime.UTC))
    assert p.work_date == datetime.date(2026, 4, 10)
    rebuild_daily_summaries(project=entry.project)
    assert list(DailySummary.objects.values_list("work_date", flat=True)) == [datetime.date(2026, 4, 10)]


def test_open_and_dismissed_anomalies_do_not_count_but_resolved_ones_do(entry):
    day = datetime.date(2026, 4, 7)
    punch(entry, at(7, 8, 0), is_anomaly=True, anomaly_status=AnomalyStatus.OPEN)
    punch(entry, at(7, 9, 0), is_anomaly=True, anomaly_status=AnomalyStatus.DISMISSED)
    refresh_daily_summaries(entry.project_id, [(entry.person_id, day)])
    assert not DailySummary.objects.exists()
    Punch.objects.filter(punched_at=at(7, 8, 0)).update(anomaly_status=AnomalyStatus.RESOLVED)
    refresh_daily_summaries(entry.project_id, [(entry.person_id, day)])
    assert summary_of(entry, day).punch_count == 1


def test_refresh_removes_a_summary_whose_punches_no_longer_count(entry):
    day = datetime.date(2026, 4, 8)
    p = punch(entry, at(8, 8, 0))
    refresh_daily_summaries(entry.project_id, [(entry.person_id, day)])
    assert DailySummary.objects.count() == 1
    Punch.objects.filter(pk=p.pk).update(anomaly_status=AnomalyStatus.DISMISSED, is_anomaly=True)
    refresh_daily_summaries(entry.project_id, [(entry.person_id, day)])
    assert not DailySummary.objects.exists()


def test_refresh_updates_in_place_and_touches_only_the_given_person_days(entry):
    other_day = datetime.date(2026, 4, 12)
    punch(entry, at(11, 8, 0))
    punch(entry, at(12, 8, 0))
    refresh_daily_summaries(entry.project_id, [(entry.person_id, datetime.date(2026, 4, 11))])
    assert not DailySummary.objects.filter(work_date=other_day).exists()
    punch(entry, at(11, 18, 0), "02")
    refresh_daily_summaries(entry.project_id, [(entry.person_id, datetime.date(2026, 4, 11))])
    assert summary_of(entry, datetime.date(2026, 4, 11)).hours == Decimal("10.00")
    assert DailySummary.objects.count() == 1


def test_refresh_uses_a_constant_number_of_queries(entry, django_assert_max_num_queries):
    others = [factories.RosterEntryFactory(team=entry.team) for _ in range(5)]
    keys = []
    for e in [entry, *others]:
        for d in range(1, 11):
            punch(e, at(d, 8, 0))
            punch(e, at(d, 17, 0), "02")
            keys.append((e.person_id, datetime.date(2026, 4, d)))
    with django_assert_max_num_queries(4):
        refresh_daily_summaries(entry.project_id, keys)
    assert DailySummary.objects.count() == 60


def test_refresh_ignores_other_projects_punches(entry, other_project):
    day = datetime.date(2026, 4, 13)
    other_entry = factories.RosterEntryFactory(
        team=factories.TeamFactory(unit=factories.UnitFactory(project=other_project)), person=entry.person
    )
    punch(other_entry, at(13, 8, 0))
    refresh_daily_summaries(entry.project_id, [(entry.person_id, day)])
    assert not DailySummary.objects.exists()


def test_rebuild_recreates_summaries_from_punches_and_drops_stale_ones(entry):
    punch(entry, at(14, 8, 0))
    punch(entry, at(14, 17, 0), "02")
    punch(entry, at(2, 8, 0, month=5))
    DailySummary.objects.create(
        project=entry.project, person=entry.person, work_date=datetime.date(2026, 4, 20), punch_count=9
    )
    written = rebuild_daily_summaries(project=entry.project)
    assert written == 2
    assert sorted(DailySummary.objects.values_list("work_date", "punch_count")) == [
        (datetime.date(2026, 4, 14), 2),
        (datetime.date(2026, 5, 2), 1),
    ]


def test_rebuild_with_a_date_range_leaves_other_days_alone(entry):
    punch(entry, at(14, 8, 0))
    punch(entry, at(2, 8, 0, month=5))
    rebuild_daily_summaries()
    DailySummary.objects.filter(work_date=datetime.date(2026, 5, 2)).update(punch_count=7)
    rebuild_daily_summaries(date_from=datetime.date(2026, 4, 1), date_to=datetime.date(2026, 4, 30))
    assert summary_of(entry, datetime.date(2026, 5, 2)).punch_count == 7


def test_the_rebuild_command_reports_rows_and_refuses_bad_dates(entry, capsys):
    punch(entry, at(14, 8, 0))
    call_command("rebuild_attendance_summaries", "--project", str(entry.project_id), "--from", "2026-04-01")
    assert "1" in capsys.readouterr().out
    assert DailySummary.objects.count() == 1
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("rebuild_attendance_summaries", "--from", "2026/04/01")
    with pytest.raises(CommandError, match="不能晚于"):
        call_command("rebuild_attendance_summaries", "--from", "2026-04-02", "--to", "2026-04-01")


@pytest.mark.parametrize("min_punches,min_hours", [(1, 0), (2, 8.01), (3, 4)])
def test_the_database_and_python_computations_of_a_summary_agree(entry, settings, min_punches, min_hours):
    """On PostgreSQL the refresh computes summaries in SQL, the rebuild in Python (both on SQLite):
    the same punches must give the same rows, rounding boundaries included."""
    from django.db import connection

    from attendance import summaries

    settings.ATTENDANCE_MIN_PUNCHES, settings.ATTENDANCE_MIN_HOURS = min_punches, min_hours
    seconds = datetime.timedelta(seconds=1)
    days = {
        1: [(at(1, 8), "01"), (at(1, 16) + 18 * seconds, "02")],  # 8.005 h: half up to 8.01
        2: [(at(2, 8), "01"), (at(2, 16) + 17 * seconds, "02")],  # 8.00472 h: 8.00
        3: [(at(3, 9), "01")],  # one punch: zero hours
        4: [(at(4, 18), "01"), (at(4, 7), "02")],  # exit before entry: no positive span
        5: [(at(5, 7, 59), "02"), (at(5, 8), "01"), (at(5, 12), "01"), (at(5, 17, 31), "02")],
        6: [(at(6, 0, 0), "01"), (at(6, 23, 59), "01")],  # no exit punch: earliest to latest
    }
    for punches in days.values():
        for when, direction in punches:
            punch(entry, when, direction)
    resolved = punch(entry, at(7, 8), "01", is_anomaly=True, anomaly_status=AnomalyStatus.RESOLVED)
    punch(entry, at(7, 17), "02", is_anomaly=True, anomaly_status=AnomalyStatus.OPEN)  # does not count
    keys = [(entry.person_id, datetime.date(2026, 4, day)) for day in range(1, 8)]

    def rows():
        return list(
            DailySummary.objects.filter(project=entry.project)
            .order_by("work_date")
            .values_list(
                "work_date", "first_in", "last_out", "punch_count", "hours", "is_present", *summaries.EXTREMES
            )
        )

    refresh_daily_summaries(entry.project_id, keys)
    refreshed = rows()
    DailySummary.objects.all().delete()
    written = summaries._refresh_in_python(connection, entry.project_id, set(keys))
    assert written == set(keys)
    assert rows() == refreshed
    assert [r[4] for r in refreshed] == [
        Decimal(h) for h in ("8.01", "8.00", "0.00", "0.00", "9.52", "23.98", "0.00")
    ]
    assert refreshed[6][1] == resolved.punched_at and refreshed[6][3] == 1


def test_deleting_a_person_through_the_orm_still_removes_their_summaries(project):
    # The summary's references carry no database constraint (see DailySummary); CASCADE is the ORM's.
    person = factories.PersonFactory()
    DailySummary.objects.create(project=project, person=person, work_date=datetime.date(2026, 4, 1))
    person.delete()
    assert not DailySummary.objects.exists()
