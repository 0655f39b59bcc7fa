"""The same person entered by two requests at the same moment ends up on the roster once.

tests/workforce/test_entry.py races the action itself; here two threads send the collection API's
person upload with entry (the reference client over real HTTP) to the live server, which answers
each in its own thread on its own database connection. A barrier releases them together. One is
entered, the other refused with the API's JSON error; the person exists once, with one open stay,
one roster.enter audit row, and no photo on disk that no row refers to.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest

from clients.jmzhgd_client import ApiError, PlatformClient
from jmzhgd.api import services
from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog, WorkType
from tests import factories
from tests.api.test_persons import jpeg_b64
from workforce.models import Person, RosterEntry

from .conftest import media_files

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 3


def send_at_once(*calls, timeout: float = 60):
    """Each call in its own thread, released together by a barrier; ("ok", value) or ("error", exc)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - the outcome is what the test asserts on
            outcomes[index] = ("error", error)

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return outcomes


def test_two_simultaneous_uploads_with_entry_of_a_new_person_enter_them_once(live_server, project):
    team = factories.TeamFactory(unit=factories.UnitFactory(project=project), entry_date=date(2026, 3, 2))
    credential, secret = services.create_credential(Actor.system(), name="并发采集", projects=[project])
    work_type = WorkType.objects.get(name="钢筋工").code

    for round_ in range(ROUNDS):
        number = factories.id_number(birth=date(1990, 5, 1))
        payload = {
            "workerName": f"并发{round_}",
            "idCardNumber": number,
            "headImage": jpeg_b64(),
            "entry": {"teamId": team.pk, "workType": work_type, "entryDate": "2026-03-05"},
        }
        clients = [PlatformClient(live_server.url, credential.app_key, secret) for _ in range(2)]

        outcomes = send_at_once(*(lambda c=c, p=payload: c.upload_person(project.pk, p) for c in clients))

        kinds = sorted(kind for kind, _ in outcomes)
        assert kinds == ["error", "ok"], outcomes
        error = next(value for kind, value in outcomes if kind == "error")
        assert isinstance(error, ApiError) and error.status == 422, error
        assert error.code == "entry_refused" and error.field == "entry", error
        assert "已在本项目在场" in error.message or "刚刚被他人办理进场" in error.message, error.message
        entered = next(value for kind, value in outcomes if kind == "ok")
        person = Person.objects.get(pk=entered["personId"])
        assert Person.objects.filter(id_number_digest=person.id_number_digest).count() == 1
        assert RosterEntry.objects.filter(person=person).count() == 1
        assert RosterEntry.objects.get(person=person).pk == entered["rosterEntryId"]
        assert (
            AuditLog.objects.filter(action="roster.enter", object_id=str(entered["rosterEntryId"])).count()
            == 1
        )

    # Every photo on disk belongs to a stored person: the refused upload left none behind.
    referenced = {p.photo.name for p in Person.objects.all() if p.photo}
    assert len(referenced) == ROUNDS
    assert media_files() == referenced
