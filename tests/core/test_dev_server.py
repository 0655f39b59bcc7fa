"""The development server (`make run`): its request threads leave no database connection open,
and its request log masks ID numbers (docs/requirements.md §11 PII)."""

from __future__ import annotations

import io
import logging
import socketserver
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import get_commands, load_command_class
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.urls import path


def _query_then_fail(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    raise RuntimeError("simulated fault after a query")


def _query(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok")


urlpatterns = [path("fails/", _query_then_fail), path("works/", _query)]


@pytest.fixture
def dev_server(settings, monkeypatch):
    """runserver's server class, built the way django.core.servers.basehttp.run builds it."""
    settings.ROOT_URLCONF = __name__
    # Persistent connections, as on PostgreSQL by default (DB_CONN_MAX_AGE): the end of a request
    # does not close them.
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 60)
    settings.DEBUG = True  # as under `make run`: the 500 is Django's debug page
    command = load_command_class(get_commands()["runserver"], "runserver")
    server_cls = type("WSGIServer", (socketserver.ThreadingMixIn, command.server_cls), {})
    httpd = server_cls(("127.0.0.1", 0), WSGIRequestHandler)
    httpd.daemon_threads = True
    httpd.set_app(WSGIHandler())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def _get(url):
    try:
        return urllib.request.urlopen(url, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_request_threads_close_their_database_connections(dev_server):
    opened = []

    def remember(sender, connection, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            opened.append(connection)

    connection_created.connect(remember)
    try:
        statuses = [_get(f"{dev_server}/{p}/") for p in ("fails", "works", "fails", "fails", "works")]
    finally:
        connection_created.disconnect(remember)
    assert statuses == [500, 200, 500, 500, 200]
    assert len(opened) == 5  # a connection per request thread
    deadline = time.monotonic() + 5  # close_request runs just after the answer is sent
    while any(c.connection is not None for c in opened) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [c.connection for c in opened] == [None] * 5


def test_the_request_log_masks_id_numbers():
    logger = logging.getLogger("django.server")
    seen = io.StringIO()
    handlers = [h for h in logger.handlers if isinstance(h, logging.StreamHandler)]
    if logger.propagate:
        handlers += [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    assert handlers
    previous = [h.setStream(seen) for h in handlers]
    try:
        # As WSGIRequestHandler.log_message writes a request line.
        logger.info('"%s" %s %s', "GET /persons/?q=11010519491231002X HTTP/1.1", "200", "512")
    finally:
        for handler, stream in zip(handlers, previous, strict=True):
            handler.setStream(stream)
    line = seen.getvalue()
    assert "GET /persons/?q=" in line and "11010519491231002X" not in line
    assert "1101**********002X" in line
