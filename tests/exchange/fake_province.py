"""The fake provincial platform for the exchange tests (implementation: exchange.testing, shared with
the benchmark), and the fixtures that point the platform's settings at it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from exchange.client import ProvinceClient
from exchange.testing import FakeProvince
from tests import factories

APPID = "jm-test-appid"
SECRET = "test-secret-0123456789abcdefghij"
AES_KEY = "0123456789abcdef0123456789ABCDEF"  # 32 ASCII characters, as the standard's key


@pytest.fixture
def province(settings):
    with FakeProvince(APPID, SECRET, AES_KEY) as fake:
        settings.PROVINCE_SYNC_ENABLED = True
        settings.PROVINCE_ENDPOINT = fake.url
        settings.PROVINCE_APPID = APPID
        settings.PROVINCE_SECRET = SECRET
        settings.PROVINCE_AES_KEY = AES_KEY
        settings.PROVINCE_POLL_SECONDS = 0
        settings.PROVINCE_RETRY_SECONDS = 60
        yield fake


@pytest.fixture
def province_client(province):
    return ProvinceClient.from_settings()


def site(project, *, workers: int = 2, punches: bool = True, contract: bool = True):
    """A project with a labour unit, a team, `workers` workers on its roster, a punch each and a contract."""
    from jmzhgd.core.models import WorkType

    team = factories.TeamFactory(unit__project=project, name="钢筋班")
    rebar = WorkType.objects.get(code="020")
    entries = [factories.RosterEntryFactory(team=team, work_type=rebar) for _ in range(workers)]
    if punches:
        moment = timezone.now() - timedelta(hours=2)
        for entry in entries:
            factories.PunchFactory(roster_entry=entry, punched_at=moment)
    if contract:
        factories.ContractFactory(roster_entry=entries[0])
    return team, entries
