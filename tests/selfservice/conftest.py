"""A worker on a site, with his phone, a contract and today's attendance."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from attendance.models import DailySummary
from tests import factories


@pytest.fixture
def worker():
    entry = factories.RosterEntryFactory(
        person__phone="13812345678", team__unit__project__name="滨江花园项目"
    )
    factories.ContractFactory(roster_entry=entry, start_date=entry.entry_date, end_date=date(2030, 3, 2))
    today = timezone.localdate()
    DailySummary.objects.create(
        project=entry.project, person=entry.person, work_date=today, punch_count=2, is_present=True
    )
    return entry
