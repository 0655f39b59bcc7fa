"""The 移动考勤 bench scenario on a small site: it reports the phone punch against a device punch and
leaves no probe behind (the full run goes through tests/bench/test_harness.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from attendance.models import DailySummary, FencePunch, Punch
from bench import fence_scenario
from bench.harness import SMOKE_SIZES
from jmzhgd.core.models import AuditLog
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_scenario_measures_both_kinds_and_cleans_up(project):
    team = factories.TeamFactory(unit=factories.UnitFactory(project=project))
    for _ in range(3):
        factories.RosterEntryFactory(team=team)
    factories.DeviceFactory(project=project)
    before = (Punch.objects.count(), DailySummary.objects.count(), AuditLog.objects.count())
    bench = SimpleNamespace(
        project_id=project.pk,
        sizes=SMOKE_SIZES,
        rows=[],
        log=lambda line: None,
        yardstick=lambda key: 1.0,
        on_site_entries=lambda: project.roster.filter(exit_date__isnull=True).order_by("id"),
    )
    fence_scenario.run(bench)
    (row,) = bench.rows
    assert row.median_ms and row.extra["ratio"] > 0 and row.extra["geometry_us"] > 0
    assert row.ratio_target == "not judged" and row.yardstick
    assert (Punch.objects.count(), DailySummary.objects.count(), AuditLog.objects.count()) == before
    assert not FencePunch.objects.exists()
    project.refresh_from_db()
    assert project.site_fences == []
