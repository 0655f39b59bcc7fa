"""The database goes away while a client pushes punches: the client gets an error it can retry,
nothing is half-stored, and the retry stores every punch exactly once.

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

    def push(self, number: int) -> dict:
        return self.client.upload_punches(
            self.project.pk, self.batches[number], device_sn=self.device.serial_number
        )

    def stored(self, number: int) -> int:
        ids = [record["recordId"] for record in self.batches[number]]
        return Punch.objects.filter(device_sn=self.device.serial_number, record_id__in=ids).count()

    def retry_until_stored(self, number: int, attempts: int = 5) -> dict:
        """What a client does with a retryable error: send the same batch again (bounded)."""
        for _ in range(attempts):
            try:
                result = self.push(number)
            except ApiError as error:
                assert_retryable(error)
                time.sleep(0.2)
                continue
            assert result["error"] == 0 and result["created"] + result["duplicate"] == PER_BATCH, result
            return result
        pytest.fail(f"batch {number} still failed after {attempts} retries")

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
    #    (one statement, committed by itself): the client gets the retryable 503, the batch is
    #    there whole, and the retry is answered "duplicate" for every punch.
    store = ingest.store_batch
    dropped = []

    def store_then_drop_connections(*args, **kwargs):
        stored = store(*args, **kwargs)
        if not dropped:
            dropped.append(terminate_other_connections())
        return stored

    monkeypatch.setattr(ingest, "store_batch", store_then_drop_connections)
    with pytest.raises(ApiError) as first:
        site.push(0)
    monkeypatch.setattr(ingest, "store_batch", store)
    assert dropped and dropped[0] >= 1
    assert_retryable(first.value)
    connection.close()  # the test's own connection was dropped too
    assert site.stored(0) == PER_BATCH
    assert AuditLog.objects.filter(action="punch.ingest").count() == 1
    assert site.retry_until_stored(0)["duplicate"] == PER_BATCH

    # 2. Connections dropped at random moments while the client pushes the other batches.
    stop, kills = threading.Event(), []
    rng = random.Random(11)

    def keep_dropping():
        while not stop.is_set() and len(kills) < 500:
            time.sleep(rng.uniform(0.01, 0.12))
            kills.append(terminate_other_connections(wait_ms=0))

    killer = threading.Thread(target=keep_dropping)
    outcomes = {}
    started = time.monotonic()
    killer.start()
    try:
        for number in range(1, BATCHES):
            assert time.monotonic() - started < PUSH_DEADLINE_SECONDS, "pushing took too long"
            try:
                outcomes[number] = site.push(number)
            except ApiError as error:
                outcomes[number] = error
    finally:
        stop.set()
        killer.join(timeout=30)
    assert not killer.is_alive() and kills
    connection.close()

    failed = [n for n, outcome in outcomes.items() if isinstance(outcome, ApiError)]
    assert failed, "no push met a dropped connection"  # about half do (one drop every ~65 ms)
    for number, outcome in outcomes.items():
        if number in failed:
            assert_retryable(outcome)
            # Never half a batch: all of it (committed, the answer lost) or none of it.
            assert site.stored(number) in (0, PER_BATCH), number
        else:
            assert outcome["created"] == PER_BATCH and site.stored(number) == PER_BATCH, outcome
    committed_but_failed = [n for n in failed if site.stored(n) == PER_BATCH]
    answered = BATCHES - 1 - len(failed)
    # One audit row per stored batch, none for a rolled-back one; batch 0 has two (its retry's).
    assert AuditLog.objects.filter(action="punch.ingest").count() == 2 + answered + len(committed_but_failed)

    for number in failed:
        site.retry_until_stored(number)


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
    #    live server opens per request): every batch fails retryably, then its retry stores it.
    for number in range(1, BATCHES):
        options["timeout"] = 0.3
        try:
            with WriteLock(path), pytest.raises(ApiError) as failed:
                site.push(number)
        finally:
            options["timeout"] = 20
        assert_retryable(failed.value)
        assert site.stored(number) == 0
        assert AuditLog.objects.filter(action="punch.ingest").count() == number  # batches 0..n-1
        site.retry_until_stored(number)
        assert site.stored(number) == PER_BATCH


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
    # Resending everything once more changes nothing: every punch is answered "duplicate".
    for number in range(BATCHES):
        assert site.push(number)["duplicate"] == PER_BATCH
    site.assert_every_punch_stored_once()


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
