"""Recovery of jobs whose worker died (docs/jobs.md "Faults"), for any job whose user-facing row has
an `attempts` count: exports (jmzhgd.jobs.services) and 批量人员进场 commits (workforce.imports.job).

A job runs inside `running(row)`: the worker's heartbeat thread (jmzhgd/jobs/worker.py) then names
the row in its `WorkerHeartbeat` every few seconds, also while the job itself can write nothing (an
import's one long commit). A worker killed with SIGKILL writes nothing more: its heartbeat goes
stale and so does the row's. The page that polls the row, every live worker (once a minute) and the
housekeeping command (`purge_exports`) hand such a row to this module, which queues it again or,
after the last attempt, marks it failed. Apps register their recovery under a name so that the
worker and the command run all of them without importing the apps (README "Floors").
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db.models import Model, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

_RECOVERIES: dict[str, Callable[[], int]] = {}
_current_job = ""  # the row this process's job runs for, as `job_label` names it


def job_label(model: type[Model] | Model, pk: int) -> str:
    return f"{model._meta.label_lower}:{pk}"


@contextlib.contextmanager
def running(model: type[Model], pk: int) -> Iterator[None]:
    """While the block runs, this process's worker heartbeat names the row as its job."""
    global _current_job
    _current_job = job_label(model, pk)
    try:
        yield
    finally:
        _current_job = ""


def current_job() -> str:
    return _current_job


def live_workers(now: datetime.datetime | None = None) -> QuerySet:
    """Workers whose heartbeat is at most WORKER_STALE_SECONDS old."""
    from .models import WorkerHeartbeat

    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(
        seen_at__gte=now - datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    )


def stalled(queryset: QuerySet, seconds: int, now: datetime.datetime) -> QuerySet:
    """The running rows of `queryset` (already narrowed to running) whose own heartbeat is older
    than `seconds` and that no live worker names as its job."""
    prefix = f"{queryset.model._meta.label_lower}:"
    alive = [
        int(label.removeprefix(prefix))
        for label in live_workers(now).filter(job__startswith=prefix).values_list("job", flat=True)
    ]
    cutoff = now - datetime.timedelta(seconds=seconds)
    return queryset.filter(heartbeat_at__lt=cutoff).exclude(pk__in=alive)


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


def worker_health() -> str:
    """/healthz "worker": "ok" while some worker's heartbeat is fresh, else "stale"."""
    return "ok" if live_workers().exists() else "stale"


def worker_media_health() -> str:
    """/healthz "worker_media": what the live workers found writing the media directory as their
    own user ("ok", or "error" when any of them could not; "unknown" without a live worker)."""
    problems = list(live_workers().values_list("media_error", flat=True))
    if not problems:
        return "unknown"
    return "error" if any(problems) else "ok"
