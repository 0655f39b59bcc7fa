"""The database goes away while a client pushes punches: the client gets an error it can retry,
nothing is half-stored, and the reference client's resend — the same bytes, nonce and signature
(jmzhgd.api.idempotency) — stores every punch exactly once, never answered 401.

PostgreSQL: a restart drops every connection of the application. The test runs that fault for real
against the live server (its own threads and connections to the test database): once at a fixed
point inside a request (after the punches are inserted, before the summaries are refreshed), then
at random moments while the reference client pushes batch after batch, with
`pg_terminate_backend` on every other connection to the test database (never the machine's
PostgreSQL service). SQLite: the equivalent fault is a write lock held by another process; a lock
held for less than the platform's lock timeout only makes the request wait, one held for longer
makes it fail. Both answers are the JSON 503 {"code": "service_unavailable"} with Retry-After.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
from datetime import date, timedelta

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.utils import timezone

from attendance import ingest
from attendance.models import DailySummary, Punch
from clients.jmzhgd_client import ApiError, PlatformClient
from jmzhgd.api import services
from jmzhgd.api.errors import RETRY_AFTER_SECONDS
from jmzhgd.core import ratelimit
from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog
from tests import factories
from tests.api.conftest import make_signed
from tests.faults import figures

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 5
BATCHES = 24
PER_BATCH = 10
PUSH_DEADLINE_SECONDS = 90
UNAVAILABLE = {"code": "service_unavailable", "message": "服务暂时不可用，请稍后重试", "field": None}


class Site:
    """A project with a gate, five workers on the roster, a credential and the batches to push."""

    def __init__(self, project, base_url: str):
        self.project = project
        self.device = factories.DeviceFactory(project=project, serial_number="JM-OUTAGE-01")
        team = factories.TeamFactory(unit=factories.UnitFactory(project=project), entry_date=date(2026, 3, 2))
        self.workers = [
            factories.RosterEntryFactory(team=team, entry_date=date(2026, 3, 3)) for _ in range(WORKERS)
        ]
        credential, secret = services.create_credential(Actor.system(), name="断线重传", projects=[project])
        self.client = PlatformClient(base_url, credential.app_key, secret, timeout=30)
        # What a device does with a retryable answer: the same request again, byte for byte.
        self.resender = PlatformClient(
            base_url, credential.app_key, secret, timeout=30, retries=12, max_wait=0.2
        )
        self.day = timezone.localdate() - timedelta(days=1)
        self.batches = [self._batch(b) for b in range(BATCHES)]

    def _batch(self, number: int) -> list[dict]:
        records = []
        for r in range(PER_BATCH):
            minute = number * PER_BATCH + r  # every punch its own minute of the day: distinct facts
            worker = self.workers[r % WORKERS]
            records.append(
                {
                    "recordId": f"b{number}-r{r}",
                    "idCardNumber": worker.person.id_number,
                    "time": f"{self.day:%Y-%m-%d} {6 + minute // 60:02d}:{minute % 60:02d}:00",
                    "direction": "01" if r % 2 == 0 else "02",
                }
            )
        return records

    def push(self, number: int, client: PlatformClient | None = None) -> dict:
        return (client or self.client).upload_punches(
            self.project.pk, self.batches[number], device_sn=self.device.serial_number
        )

    def resend_until_stored(self, number: int) -> dict:
        """Pushed by the resending client: whatever met the push, the device is told every punch
        of the batch was stored (by this copy, or by one whose answer was lost: replayed)."""
        resends = self.resender.resends
        result = self.push(number, self.resender)
        assert result["created"] == PER_BATCH and result["error"] == 0, result
        return {"resends": self.resender.resends - resends, **result}

    def stored(self, number: int) -> int:
        ids = [record["recordId"] for record in self.batches[number]]
        return Punch.objects.filter(device_sn=self.device.serial_number, record_id__in=ids).count()

    def assert_every_punch_stored_once(self) -> None:
        punches = Punch.objects.filter(project=self.project)
        assert punches.count() == BATCHES * PER_BATCH
        assert punches.values("record_id").distinct().count() == BATCHES * PER_BATCH
        assert punches.filter(person__isnull=False, is_anomaly=False).count() == BATCHES * PER_BATCH
        summaries = DailySummary.objects.filter(project=self.project, work_date=self.day)
        assert summaries.count() == WORKERS
        assert (
            sorted(summaries.values_list("punch_count", flat=True))
            == [BATCHES * PER_BATCH // WORKERS] * WORKERS
        )


def assert_retryable(error: ApiError) -> None:
    """The only failure a client may see here: the JSON 503 telling it to send the batch again."""
    assert (error.status, error.code, error.message, error.field) == (
        503,
        UNAVAILABLE["code"],
        UNAVAILABLE["message"],
        None,
    ), error


# --- PostgreSQL: the application's connections are dropped -------------------------------------


def terminate_other_connections(wait_ms: int = 5000) -> int:
    """What a restart does to the application: every other connection to this database ends.

    Runs on a connection of its own; the wait makes the call return once the backends are gone.
    """
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid, %s) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()",
                [wait_ms],
            )
            return len(cursor.fetchall())
    finally:
        killer.close()


def postgresql_outage(site: Site, monkeypatch) -> None:
    # 1. The connections are dropped in the middle of a request, right after its batch was stored
    #    in the request's transaction: the client gets the retryable 503, nothing of the batch (nor
    #    its nonce) is kept, and the byte-for-byte resend stores it.
    store = ingest.store_batch
    dropped = []

    def store_then_drop_connections(*args, **kwargs):
        stored = store(*args, **kwargs)
        if not dropped:
            dropped.append(terminate_other_connections())
        return stored

    monkeypatch.setattr(ingest, "store_batch", store_then_drop_connections)
    assert site.resend_until_stored(0)["resends"] >= 1
    monkeypatch.setattr(ingest, "store_batch", store)
    assert dropped and dropped[0] >= 1
    connection.close()  # the test's own connection was dropped too
    assert site.stored(0) == PER_BATCH
    assert AuditLog.objects.filter(action="punch.ingest").count() == 1

    # 2. Connections dropped at random moments while the device pushes the other batches,
    #    resending each failed one byte for byte until it is answered.
    stop, kills = threading.Event(), []
    rng = random.Random(11)

    def keep_dropping():
        while not stop.is_set() and len(kills) < 500:
            time.sleep(rng.uniform(0.01, 0.12))
            kills.append(terminate_other_connections(wait_ms=0))

    killer = threading.Thread(target=keep_dropping)
    resends = 0
    started = time.monotonic()
    killer.start()
    try:
        for number in range(1, BATCHES):
            assert time.monotonic() - started < PUSH_DEADLINE_SECONDS, "pushing took too long"
            resends += site.resend_until_stored(number)["resends"]
    finally:
        stop.set()
        killer.join(timeout=30)
    assert not killer.is_alive() and kills
    connection.close()
    assert resends, "no push met a dropped connection"  # about half do (one drop every ~65 ms)
    figures.record(
        "connections dropped under a stream of punch batches (PostgreSQL)",
        batches=BATCHES - 1,
        connection_drops=len(kills),
        resends=resends,
        seconds=round(time.monotonic() - started, 1),
        http_401=0,
    )
    # One audit row per batch: a failed copy kept nothing, a resent copy of a stored one wrote nothing.
    assert AuditLog.objects.filter(action="punch.ingest").count() == BATCHES


# --- SQLite: another connection holds the write lock -------------------------------------------


class WriteLock:
    """An EXCLUSIVE transaction on the database file, from a connection the platform does not own."""

    def __init__(self, path: str):
        self.path = path
        self.db = None

    def __enter__(self):
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=5, check_same_thread=False)
        self.db.execute("BEGIN EXCLUSIVE")
        return self

    def release(self):
        if self.db is not None:
            self.db.execute("ROLLBACK")
            self.db.close()
            self.db = None

    def __exit__(self, *exc):
        self.release()


def sqlite_outage(site: Site) -> None:
    path = connection.settings_dict["NAME"]
    options = connections.settings["default"]["OPTIONS"]
    assert options["timeout"] == 20  # the platform's lock wait (settings.py)

    # 1. A lock held for less than the timeout: the request waits for it and succeeds.
    with WriteLock(path) as lock:
        releaser = threading.Timer(1.5, lock.release)
        releaser.start()
        started = time.monotonic()
        result = site.push(0)
        waited = time.monotonic() - started
        releaser.join()
    assert result["created"] == PER_BATCH and waited >= 1.2, (result, waited)

    # 2. A lock held for longer than the wait (lowered for the test to 0.3 s on the connections the
    #    live server opens per request): the push fails retryably, leaves nothing, and the device's
    #    byte-for-byte resend stores it once the lock is gone.
    for number in range(1, BATCHES):
        if number > 4:
            site.resend_until_stored(number)
            continue
        options["timeout"] = 0.3
        try:
            with pytest.raises(ApiError) as failed, WriteLock(path):
                site.push(number)
            assert_retryable(failed.value)
            assert site.stored(number) == 0
            with WriteLock(path) as lock:
                threading.Timer(0.6, lock.release).start()
                assert site.resend_until_stored(number)["resends"] >= 1
        finally:
            options["timeout"] = 20
        assert site.stored(number) == PER_BATCH
    assert AuditLog.objects.filter(action="punch.ingest").count() == BATCHES


def test_a_database_outage_while_pushing_punches_is_retryable_and_the_retry_stores_no_duplicates(
    live_server, project, monkeypatch
):
    site = Site(project, live_server.url)

    if connection.vendor == "postgresql":
        postgresql_outage(site, monkeypatch)
    else:
        assert connection.vendor == "sqlite"
        sqlite_outage(site)

    site.assert_every_punch_stored_once()
    # Sending everything again as new requests (signed afresh) changes nothing: "duplicate".
    for number in range(BATCHES):
        assert site.push(number)["duplicate"] == PER_BATCH
    site.assert_every_punch_stored_once()


def test_a_write_whose_answer_was_lost_is_answered_again_with_its_original_result(live_server, project):
    site = Site(project, live_server.url)
    path = f"/projects/{project.pk}/punches"
    prepared = site.resender.prepare("POST", path, {"records": site.batches[0], "deviceSn": "JM-OUTAGE-01"})
    first = site.resender.send(prepared, raw=True)
    again = site.resender.send(prepared, raw=True)  # the same bytes: the first answer never arrived
    assert again == first and json.loads(first)["created"] == PER_BATCH
    assert site.stored(0) == PER_BATCH and AuditLog.objects.filter(action="punch.ingest").count() == 1


# --- the answer itself, on both databases ----------------------------------------------------


def test_a_lost_connection_inside_the_api_is_a_json_503_with_retry_after(project, monkeypatch):
    signed = make_signed(Client(raise_request_exception=False), project)
    device = factories.DeviceFactory(project=project)
    worker = factories.RosterEntryFactory(
        team=factories.TeamFactory(unit=factories.UnitFactory(project=project))
    )

    def connection_lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(ingest, "store_batch", connection_lost)
    day = timezone.localdate() - timedelta(days=1)
    record = {"idCardNumber": worker.person.id_number, "time": f"{day} 08:00:00", "direction": "01"}
    response = signed.post(
        f"/api/v1/projects/{project.pk}/punches", {"deviceSn": device.serial_number, "records": [record]}
    )

    assert response.status_code == 503 and response["Content-Type"].startswith("application/json")
    assert response.json() == UNAVAILABLE
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert not Punch.objects.exists() and not AuditLog.objects.filter(action="punch.ingest").exists()


def test_a_lost_connection_before_the_api_view_is_a_json_503_not_the_html_error_page(project, monkeypatch):
    signed = make_signed(Client(raise_request_exception=False), project)

    def connection_lost(key, rule, now=None):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ratelimit, "hit", connection_lost)  # the rate-limit middleware's first query
    response = signed.post(f"/api/v1/projects/{project.pk}/punches", {"records": []})

    assert response.status_code == 503 and response.json() == UNAVAILABLE
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    # A page keeps the HTML error page.
    page = Client(raise_request_exception=False).post("/accounts/login/", {"username": "x"})
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_any_other_uncaught_error_under_the_api_is_a_json_500(project, monkeypatch):
    signed = make_signed(Client(raise_request_exception=False), project)

    def broken(key, rule, now=None):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ratelimit, "hit", broken)
    response = signed.post(f"/api/v1/projects/{project.pk}/punches", {"records": []})

    assert response.status_code == 500 and response.json()["code"] == "server_error"
    page = Client(raise_request_exception=False).post("/accounts/login/", {"username": "x"})
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
