"""Reads from the standby (docs/deploy.md, "Standby and reads from it").

With `DATABASE_REPLICA_URL` set, settings.py adds the alias `replica` (a streaming standby of the
primary) and names it in READ_REPLICA_ALIAS, and this router sends it the reads of the few pages that tolerate a second of lag: the
views wrapped in `reads_from_replica` (the supervisor dashboard, the 预警中心, the month grid and its
exports) and the export jobs' rows. Everything else reads from the primary, and so does every read
that follows a write in the same request: any write routed here clears the request's flag for good,
and a read inside a transaction on the primary stays there. Without a replica the router answers
nothing and Django's default alias serves everything, as before.

The flag is a context variable: it belongs to one request (or one job), in any worker model.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_alias() -> str | None:
    return settings.READ_REPLICA_ALIAS


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside the block may go to the standby, until the first write."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(view: Callable) -> Callable:
    """Marks a read-only view whose figures may lag the primary by a second."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


def reading_from_replica() -> bool:
    """Whether a read made now would go to the standby."""
    return (
        _replica_reads.get()
        and replica_alias() is not None
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block  # its own writes may be in it
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        replica = replica_alias()
        if replica is None:
            return None
        return replica if reading_from_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        if replica_alias() is None:
            return None
        _replica_reads.set(False)  # read-after-write: the rest of the request reads the primary
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        replica = replica_alias()
        if replica is None:
            return None
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, replica}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == replica_alias() else None  # the standby replays the primary's schema
