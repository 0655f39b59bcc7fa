"""Exports as jobs: ask, cancel, retry, recover from a lost worker, purge (docs/jobs.md). The job
itself (claim, write with progress, store) is jmzhgd.jobs.runner, queued through jmzhgd.jobs.tasks.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from . import registry, stall
from .models import RETRYABLE_STATES, Export, ExportState
from .runner import FAILED_INTERRUPTED, delete_stored, finish_failed
from .tasks import run_export

logger = logging.getLogger(__name__)

FAILED_QUEUE = "后台任务暂时无法排队，请稍后重新导出。"
CANCELLED = "已由导出人取消。"
# Shown beside an export still queued this long while no worker is alive.
NO_WORKER_NOTICE_SECONDS = 30
NO_WORKER_NOTICE = "后台任务进程没有运行，导出尚未开始；请联系系统管理员启动后台进程，或点【取消】。"
SLOW_NOTICE = "已有一段时间没有进展；如长时间不动，可点【取消】后【重试】。"


def request_export(user, project, name: str, params, prepared: registry.Prepared) -> Export:
    """Record an export job for `user` and queue it. The row is committed before the job is queued,
    so a worker on another machine always finds it."""
    export = Export.objects.create(
        user=user,
        project=project,
        exporter=name,
        label=prepared.label[:200],
        filename=prepared.filename[:255],
        params={key: params.getlist(key) for key in params if key != "page"},
        total_rows=prepared.rows,
    )
    try:
        result = run_export.enqueue(export.pk)
    except Exception:
        logger.exception("export %s could not be queued", export.pk)
        finish_failed(export.pk, FAILED_QUEUE)
    else:
        Export.objects.filter(pk=export.pk).update(task_id=str(result.id)[:64])
    export.refresh_from_db()
    return export


def cancel_export(export: Export) -> bool:
    """【取消】: an unfinished export ends 已取消; a running job stops at its next progress write
    and leaves no file. False when it finished meanwhile."""
    cancelled = Export.objects.filter(
        pk=export.pk, state__in=(ExportState.QUEUED, ExportState.RUNNING)
    ).update(state=ExportState.CANCELLED, error=CANCELLED, finished_at=timezone.now(), file="")
    if cancelled:
        delete_stored(export)
    return bool(cancelled)


def retry_export(export: Export) -> bool:
    """【重试】: a failed or cancelled export is queued again as a new run (progress and total
    counted afresh). False when it is not in such a state any more."""
    retried = Export.objects.filter(pk=export.pk, state__in=RETRYABLE_STATES).update(
        state=ExportState.QUEUED,
        attempts=0,
        done_rows=0,
        error="",
        file="",
        size=0,
        started_at=None,
        finished_at=None,
        heartbeat_at=timezone.now(),
    )
    if not retried:
        return False
    try:
        result = run_export.enqueue(export.pk)
    except Exception:
        logger.exception("export %s could not be queued again", export.pk)
        finish_failed(export.pk, FAILED_QUEUE)
    else:
        Export.objects.filter(pk=export.pk).update(task_id=str(result.id)[:64])
    return True


def notice(export: Export, now: datetime.datetime | None = None) -> str:
    """What an unfinished export that does not move tells its owner."""
    now = now or timezone.now()
    waited = (now - (export.heartbeat_at or export.created_at)).total_seconds()
    if export.state == ExportState.QUEUED and waited > NO_WORKER_NOTICE_SECONDS:
        if not stall.live_workers(now).exists():
            return NO_WORKER_NOTICE
    if export.state == ExportState.RUNNING and waited > settings.WORKER_STALE_SECONDS:
        return SLOW_NOTICE
    return ""


@stall.recovery("jobs:export")
def recover_stalled(queryset=None, now: datetime.datetime | None = None) -> int:
    """Exports whose worker died (no progress for EXPORT_STALL_SECONDS and no live worker naming
    them) are queued again, up to EXPORT_MAX_ATTEMPTS runs in all, else marked failed. Returns how
    many were handled."""
    now = now or timezone.now()
    running = (queryset if queryset is not None else Export.objects.all()).filter(state=ExportState.RUNNING)
    stalled = stall.stalled(running, settings.EXPORT_STALL_SECONDS, now)
    return stall.requeue_or_fail(
        stalled,
        max_attempts=settings.EXPORT_MAX_ATTEMPTS,
        requeue={"state": ExportState.QUEUED, "heartbeat_at": now},
        fail={"state": ExportState.FAILED, "error": FAILED_INTERRUPTED, "finished_at": now, "file": ""},
        enqueue=run_export.enqueue,
        on_queue_error=lambda pk: finish_failed(pk, FAILED_QUEUE),
        before=delete_stored,
    )


def purge_exports(now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Delete exports (rows and files) asked for more than `days` ago; returns how many."""
    now = now or timezone.now()
    days = settings.EXPORT_RETENTION_DAYS if days is None else days
    purged = 0
    for export in Export.objects.filter(created_at__lt=now - datetime.timedelta(days=days)):
        delete_stored(export)
        export.delete()
        purged += 1
    return purged
