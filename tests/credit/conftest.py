from __future__ import annotations

from datetime import date

import pytest

from credit.models import CreditRecord
from jmzhgd.core.actor import Actor
from tests.factories import RosterEntryFactory, TeamFactory, UnitFactory

BUREAU = "江门市住房和城乡建设局"


@pytest.fixture
def team(project):
    return TeamFactory(unit=UnitFactory(project=project), entry_date=date(2026, 3, 2))


@pytest.fixture
def worker(team):
    """A person on the project's roster."""
    return RosterEntryFactory(team=team).person


@pytest.fixture
def bureau(supervisor):
    return Actor(user=supervisor)


def make_listing(
    *, person=None, enterprise=None, kind="blacklist", start=date(2026, 1, 5), end=date(2029, 1, 4), **more
):
    return CreditRecord.objects.create(
        kind=kind,
        person=person,
        enterprise=enterprise,
        start_date=start,
        end_date=end,
        issuer=more.pop("issuer", BUREAU),
        description=more.pop("description", "拖欠农民工工资"),
        **more,
    )


@pytest.fixture
def own_client(project_user):
    """The project's account in a client of its own (the shared `client` may be the supervisor's)."""
    from django.test import Client

    client = Client()
    client.force_login(project_user)
    return client
