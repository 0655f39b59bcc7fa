"""Recovery of jobs whose worker died (docs/jobs.md "Faults"), for any job whose user-facing row has
an `attempts` count: exports (jmzhgd.jobs.services) and 批量人员进场 commits (workforce.imports.job).

A worker killed with SIGKILL writes nothing more: its row stays running with a stale heartbeat. The
housekeeping command (`purge_exports`) and the page that polls the row hand it to this module, which
queues it again or, after the last attempt, marks it failed. Apps register their recovery under a
name so that the command runs all of them without importing the apps (README "Floors").
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db.models import QuerySet

logger = logging.getLogger(__name__)

_RECOVERIES: dict[str, Callable[[], int]] = {}


def recovery(name: str) -> Callable[[Callable[[], int]], Callable[[], int]]:
    """Register `recover() -> handled count`, run by `manage.py purge_exports`."""

    def register(recover: Callable[[], int]) -> Callable[[], int]:
        _RECOVERIES[name] = recover
        return recover

    return register


def recover_all() -> dict[str, int]:
    return {name: recover() for name, recover in sorted(_RECOVERIES.items())}


def requeue_or_fail(
    stalled: QuerySet,
    *,
    max_attempts: int,
    requeue: dict,
    fail: dict,
    enqueue: Callable[[int], object],
    on_queue_error: Callable[[int], object],
    before: Callable[[object], object] | None = None,
) -> int:
    """Each row of `stalled` is updated with `requeue` and queued again while it has attempts left,
    else updated with `fail`. Returns how many were handled.

    Each update is conditional on `stalled`'s own filter (the same stale heartbeat): a worker that is
    merely slow and writes progress meanwhile keeps its row."""
    handled = 0
    for row in stalled:
        still_stalled = stalled.filter(pk=row.pk)
        if before is not None:
            before(row)
        if row.attempts < max_attempts:
            if still_stalled.update(**requeue):
                try:
                    enqueue(row.pk)
                except Exception:
                    logger.exception("%s %s could not be queued again", row._meta.label, row.pk)
                    on_queue_error(row.pk)
                handled += 1
        elif still_stalled.update(**fail):
            handled += 1
    return handled
