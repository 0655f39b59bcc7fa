"""Django's PostgreSQL backend with a health check that costs no round trip (settings.DATABASES).

CONN_HEALTH_CHECKS makes Django test a kept connection at the start of every request before using
it; the stock check is a `SELECT 1` on the server, one of the dozen round trips of a signed punch
upload (bench/README.md), hundreds of times a second. A connection that sits idle between requests
has nothing to read: the server writes to it only when it goes away (the FATAL message of a
terminated backend, then the end of the stream) or for a notice nobody asked for. So the check
here asks the socket, without waiting, whether anything arrived; only if something did (or the
driver already knows the connection is broken) does it run the stock `SELECT 1`, which then decides.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if self.pool or self.connection is None or not self.health_check_enabled or self.health_check_done:
            return super().close_if_health_check_failed()
        if not self._idle_and_quiet() and not self.is_usable():
            self.close()
        self.health_check_done = True

    def _idle_and_quiet(self) -> bool:
        """The connection is open, outside a transaction, and the server has sent nothing since."""
        raw = self.connection
        if raw.closed or raw.broken or raw.pgconn.status != pq.ConnStatus.OK:
            return False
        if raw.pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return False
        try:
            readable, _, _ = select.select([raw.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
