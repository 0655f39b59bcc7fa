"""The strict fake provincial platform for the exchange tests (implementation: exchange.testing,
shared with the benchmark), and the fixtures that point the platform at it: the province's address
in the settings, the project's own credentials (appid = its national code, its secret) in the
database, as a supervisor enters them."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from exchange.client import ProvinceClient
from exchange.models import ProvinceCredential
from exchange.testing import FakeProvince
from tests import factories

SECRET = "0123456789abcdef0123456789ABCDEF"  # 32 ASCII characters: the secret is the AES key
AES_KEY = SECRET


def connect(fake: FakeProvince, project, secret: str = SECRET) -> ProvinceCredential:
    """The project's credentials, on both sides."""
    fake.register(project.code, secret)
    credential, _ = ProvinceCredential.objects.update_or_create(
        project=project, defaults={"appid": project.code, "secret": secret}
    )
    return credential


def configure(settings, fake: FakeProvince) -> None:
    settings.PROVINCE_SYNC_ENABLED = True
    settings.PROVINCE_ENDPOINT = fake.url
    settings.PROVINCE_AES_KEY = ""
    settings.PROVINCE_POLL_SECONDS = 0
    settings.PROVINCE_RETRY_SECONDS = 60


@pytest.fixture
def province(settings, project):
    with FakeProvince() as fake:
        configure(settings, fake)
        connect(fake, project)
        yield fake


@pytest.fixture
def province_client(province, project):
    return ProvinceClient.for_project(project)


def refusal(answer: dict) -> str:
    """The message of a 处理失败 answer, which the province sends as an object or as plain text."""
    assert answer["status"] == "10", answer
    result = answer["result"]
    return result["message"] if isinstance(result, dict) else result


def jpeg(size=(120, 160), color=(200, 180, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def give_photo(person, data: bytes | None = None) -> None:
    person.photo.save(f"{person.pk}.jpg", ContentFile(data or jpeg()), save=True)


def site(project, *, workers: int = 2, punches: bool = True, contract: bool = True):
    """A project with a labour unit, a team, `workers` workers with photos on its roster, a punch
    each and a contract."""
    from jmzhgd.core.models import WorkType

    team = factories.TeamFactory(unit__project=project, name="钢筋班")
    rebar = WorkType.objects.get(code="020")
    entries = [factories.RosterEntryFactory(team=team, work_type=rebar) for _ in range(workers)]
    for entry in entries:
        give_photo(entry.person)
    if punches:
        moment = timezone.now() - timedelta(hours=2)
        for entry in entries:
            factories.PunchFactory(roster_entry=entry, punched_at=moment)
    if contract:
        factories.ContractFactory(roster_entry=entries[0])
    return team, entries
