"""`manage.py runserver` (`make run`, development only) that closes each request's database
connections when the request is done.

runserver serves every request in a thread of its own (`django.core.servers.basehttp.run` mixes
ThreadingMixIn into `server_cls`), and on PostgreSQL connections are persistent
(`DB_CONN_MAX_AGE`): Django keeps a thread's connection for its next request, but that thread never
gets one. Nothing closed the connection when the thread ended; it waited for the garbage collector
(the connection wrapper sits in reference cycles, and a 500's traceback adds more), so idle
connections piled up until PostgreSQL refused clients. Django's own threaded test server closes
them in `close_request`; this does the same. gunicorn (production) keeps its workers' connections
and is not concerned.
"""

from __future__ import annotations

from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver
from django.core.servers.basehttp import WSGIServer
from django.db import connections


class ConnectionClosingWSGIServer(WSGIServer):
    def close_request(self, request):
        # Runs in the request's own thread (ThreadingMixIn.process_request_thread), where its
        # connections live.
        connections.close_all()
        super().close_request(request)


class Command(StaticfilesRunserver):
    server_cls = ConnectionClosingWSGIServer
