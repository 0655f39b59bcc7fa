"""退场 and 批量退场: exit dates never before the entry, never in the future; all or none."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog
from tests.factories import RosterEntryFactory, TeamFactory, UnitFactory
from workforce.models import RosterEntry
from workforce.services import exit_roster_entries

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试")


@pytest.fixture
def team(project):
    return TeamFactory(unit=UnitFactory(project=project))


def test_exit_before_entry_date_is_refused_and_names_the_person(project, team):
    entry = RosterEntryFactory(team=team, entry_date=date(2026, 3, 10))
    with pytest.raises(ValidationError) as error:
        exit_roster_entries(ACTOR, RosterEntry.objects.filter(pk=entry.pk), date(2026, 3, 9))
    assert str(entry.person) in error.value.messages[0] and "不能早于进场日期" in error.value.messages[0]
    entry.refresh_from_db()
    assert entry.is_on_site


def test_exit_in_the_future_is_refused(project, team):
    entry = RosterEntryFactory(team=team)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        exit_roster_entries(
            ACTOR, RosterEntry.objects.filter(pk=entry.pk), timezone.localdate() + timedelta(days=1)
        )


def test_batch_exit_is_all_or_none(project, team):
    early = RosterEntryFactory(team=team, entry_date=date(2026, 3, 3))
    late = RosterEntryFactory(team=team, entry_date=date(2026, 3, 20))
    both = RosterEntry.objects.filter(pk__in=[early.pk, late.pk])
    with pytest.raises(ValidationError):
        exit_roster_entries(ACTOR, both, date(2026, 3, 15))
    assert RosterEntry.objects.on_site().count() == 2
    assert exit_roster_entries(ACTOR, both, date(2026, 3, 21)) == 2
    assert RosterEntry.objects.on_site().count() == 0
    assert AuditLog.objects.filter(action="roster.exit", project=project).count() == 2
