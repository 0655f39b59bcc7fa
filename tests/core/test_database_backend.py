"""jmzhgd.db.postgresql: the per-request health check asks the socket, not the server."""

from __future__ import annotations

import select
import time

import pytest
from django.db import connection


def _check_now() -> None:
    connection.health_check_done = False  # as at the start of every request
    connection.close_if_health_check_failed()


@pytest.mark.django_db(transaction=True)  # a kept connection between "requests", as in production
def test_a_quiet_idle_connection_is_kept_without_a_round_trip(monkeypatch):
    if connection.vendor != "postgresql":
        assert connection.settings_dict["ENGINE"] == "django.db.backends.sqlite3"
        return
    assert connection.settings_dict["ENGINE"] == "jmzhgd.db.postgresql"
    assert connection.health_check_enabled
    connection.ensure_connection()
    kept = connection.connection

    def no_round_trip():
        raise AssertionError("the health check ran a statement on a quiet connection")

    monkeypatch.setattr(connection, "is_usable", no_round_trip)
    _check_now()
    assert connection.connection is kept


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it():
    if connection.vendor != "postgresql":
        assert connection.settings_dict["ENGINE"] == "django.db.backends.sqlite3"
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    ended = connection.connection
    other = connection.copy()
    try:
        with other.cursor() as cursor:  # as a restart or an administrator would
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    deadline = time.monotonic() + 10
    while not select.select([ended.fileno()], [], [], 0.1)[0] and time.monotonic() < deadline:
        pass
    _check_now()
    assert connection.connection is None  # closed by the check, not by a failing request
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
