from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests import factories


@pytest.fixture
def punches(project):
    """Five punches of one worker on 2026-04-09 in `project`."""
    entry = factories.RosterEntryFactory(team__unit__project=project)
    base = timezone.make_aware(datetime.datetime(2026, 4, 9, 7, 0))
    return [
        factories.PunchFactory(roster_entry=entry, punched_at=base + datetime.timedelta(hours=i))
        for i in range(5)
    ]


@pytest.fixture
def as_jobs(settings):
    """Every export of more than one row becomes a job."""
    settings.EXPORT_JOB_THRESHOLD_ROWS = 1
    return settings


@pytest.fixture
def queued(project, project_user, punches):
    """A queued export of those punches, as the 考勤明细 page records it."""
    from jmzhgd.jobs.models import Export

    return Export.objects.create(
        user=project_user,
        project=project,
        exporter="attendance:details",
        label="考勤明细",
        filename="考勤明细.xlsx",
        params={"date_from": ["2026-04-09"], "date_to": ["2026-04-09"]},
        total_rows=5,
    )
