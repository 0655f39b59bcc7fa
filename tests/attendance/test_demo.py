"""Demo attendance: a month of punches for the on-site roster, anomalies, summaries; idempotent."""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone

from attendance import demo as attendance_demo
from attendance.models import AnomalyStatus, DailySummary, Device, Punch
from jmzhgd.core.demo import DemoContext
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_punches_cover_the_on_site_roster_and_running_twice_adds_nothing(project):
    team = factories.TeamFactory(unit=factories.UnitFactory(project=project))
    entries = [
        factories.RosterEntryFactory(team=team, entry_date=timezone.localdate() - datetime.timedelta(days=60))
        for _ in range(20)
    ]
    left = factories.RosterEntryFactory(
        team=team, entry_date=datetime.date(2026, 1, 5), exit_date=datetime.date(2026, 2, 1)
    )
    lines = []
    context = DemoContext(write=lines.append, shared={"projects": [project]})
    started = time.monotonic()
    attendance_demo.seed(context)
    assert time.monotonic() - started < 15
    punches = Punch.objects.filter(project=project)
    matched = punches.filter(is_anomaly=False)
    assert matched.count() > 20 * 20
    assert not punches.filter(person=left.person).exists()
    assert set(matched.values_list("person", flat=True)) == {e.person_id for e in entries}
    assert (
        punches.filter(is_anomaly=True, anomaly_status=AnomalyStatus.OPEN, person__isnull=True).count() == 4
    )
    assert not matched.filter(punched_at__gt=timezone.now()).exists()
    assert matched.filter(punched_at__hour__gte=19).exists()  # some late exits
    assert all(
        p.id_number_masked.endswith(p.person.id_number[-4:]) for p in matched.select_related("person")[:5]
    )
    assert Device.objects.filter(project=project).count() == 1
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Every demo month has its own partition: nothing waits in the DEFAULT one.
            cursor.execute("SELECT count(*) FROM attendance_punch_default")
            assert cursor.fetchone()[0] == 0
            cursor.execute(
                "SELECT count(DISTINCT tableoid), count(DISTINCT date_trunc('month', work_date)) "
                "FROM attendance_punch"
            )
            partitions_used, months = cursor.fetchone()
            assert partitions_used == months  # one partition per month
        else:
            assert not any("考勤分区" in line for line in lines)
    summaries = DailySummary.objects.filter(project=project)
    present_days = summaries.filter(is_present=True).count()
    assert 20 * 20 < present_days < 20 * 31  # absences happen
    count = punches.count()
    attendance_demo.seed(context)
    assert Punch.objects.filter(project=project).count() == count
    assert DailySummary.objects.filter(project=project).count() == summaries.count()
