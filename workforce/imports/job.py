"""批量人员进场 of many rows as a background job (docs/jobs.md "批量人员进场 as a job").

【导入】 of a batch of more than IMPORT_JOB_THRESHOLD_ROWS rows does in the request only what the
confirm POST checks today (warnings confirmed, the batch still open, the caller may write the
project: the view's project_for), marks the batch 导入中 and queues `run_import`. The job claims the
batch, checks the caller's right again and runs the same `commit_batch` as a small import: one
transaction, so a fault leaves nothing written and the batch 导入失败 with a Chinese reason.

Progress is coarse (排队中 → 校验并写入中 → done) and written outside the commit's transaction:
progress rows inside it would be invisible until it commits, and on SQLite a second connection
could not write while the commit holds the database's only write lock.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from jmzhgd.core import audit
from jmzhgd.core.access import can_write_project
from jmzhgd.core.actor import Actor
from jmzhgd.core.clip import clip
from jmzhgd.jobs import stall

from ..models import ImportBatch, ImportBatchStatus
from .commit import commit_batch, locked_open, warned_rows_unconfirmed

logger = logging.getLogger(__name__)

FAILED_GENERIC = "导入时出错，没有人员进场；请稍后重新导入，如仍失败请联系技术服务支持。"
FAILED_INTERRUPTED = "导入被中断（后台进程已停止），没有人员进场，请重新导入。"
FAILED_NO_ACCESS = "您已无权为该项目办理进场，导入已取消，没有人员进场。"
FAILED_QUEUE = "后台任务暂时无法排队，没有人员进场，请稍后重新导入。"


def commit_or_queue(actor: Actor, batch: ImportBatch, *, confirm_warnings: bool) -> ImportBatch:
    """The confirm POST: a batch of at most IMPORT_JOB_THRESHOLD_ROWS rows commits at once, a larger
    one is queued. Raises ValidationError (nothing written) like commit_batch."""
    if batch.total_rows <= settings.IMPORT_JOB_THRESHOLD_ROWS:
        return commit_batch(actor, batch, confirm_warnings=confirm_warnings)
    with transaction.atomic():
        batch = locked_open(batch)
        # The preview's report answers the warnings question here; the job validates the file
        # again against the data as it is then, and fails with this message if new ones appear.
        warned = sum(1 for item in batch.report if item["status"] == "warning")
        if warned and not confirm_warnings:
            raise warned_rows_unconfirmed(warned)
        batch.status = ImportBatchStatus.IMPORTING
        batch.committed_by = actor.user
        batch.confirm_warnings = confirm_warnings
        batch.attempts, batch.started_at, batch.heartbeat_at, batch.error = 0, None, timezone.now(), ""
        batch.save()
        audit.record(
            actor,
            "roster.import_queued",
            batch,
            project=batch.project,
            summary=f"批量人员进场转后台导入：{batch.file_name}，共{batch.total_rows}行",
        )
    # Queued only once the batch is committed 导入中, so a worker elsewhere always finds it so.
    try:
        run_import.enqueue(batch.pk)
    except Exception:
        logger.exception("import batch %s could not be queued", batch.pk)
        _finish_failed(batch.pk, FAILED_QUEUE)
    batch.refresh_from_db()
    return batch


def _claim(batch_id: int) -> bool:
    """Queued → running, in one conditional UPDATE: a job delivered twice runs once."""
    now = timezone.now()
    return bool(
        ImportBatch.objects.filter(
            pk=batch_id, status=ImportBatchStatus.IMPORTING, started_at__isnull=True
        ).update(started_at=now, heartbeat_at=now, attempts=F("attempts") + 1)
    )


def _finish_failed(batch_id: int, reason: str) -> None:
    ImportBatch.objects.filter(pk=batch_id, status=ImportBatchStatus.IMPORTING).update(
        status=ImportBatchStatus.FAILED, error=clip(ImportBatch, "error", reason)
    )


def run_batch(batch_id: int) -> str:
    """The job: commit the batch as its requester. Returns the outcome."""
    if not _claim(batch_id):
        return "skipped"  # already committed, failed or handed on: a repeated delivery does nothing
    with stall.running(ImportBatch, batch_id):
        return _run_claimed(ImportBatch.objects.select_related("project", "committed_by").get(pk=batch_id))


def _run_claimed(batch: ImportBatch) -> str:
    batch_id = batch.pk
    reason = FAILED_INTERRUPTED  # stays so if anything stronger than an Exception stops the job
    try:
        user = batch.committed_by
        if user is None or not can_write_project(user, batch.project):
            reason = FAILED_NO_ACCESS
            return ImportBatchStatus.FAILED
        commit_batch(
            Actor(user=user),
            batch,
            confirm_warnings=batch.confirm_warnings,
            statuses=(ImportBatchStatus.IMPORTING,),
        )
        reason = ""
        return ImportBatchStatus.IMPORTED
    except ValidationError as exc:  # new warnings, the roster changed, or committed meanwhile
        reason = "；".join(exc.messages)
        return ImportBatchStatus.FAILED
    except Exception:
        logger.exception("import batch %s failed", batch_id)
        reason = FAILED_GENERIC
        return ImportBatchStatus.FAILED
    finally:
        if reason:
            _finish_failed(batch_id, reason)


@task()
def run_import(batch_id: int) -> str:
    return run_batch(batch_id)


@stall.recovery("workforce:import")
def recover_stalled(queryset=None, now: datetime.datetime | None = None) -> int:
    """A commit whose worker died (its transaction rolled back with the connection) is queued
    again once no live worker names it and its row is IMPORT_STALL_SECONDS old, up to
    IMPORT_MAX_ATTEMPTS runs, else marked 导入失败 (jmzhgd.jobs.stall)."""
    now = now or timezone.now()
    running = (queryset if queryset is not None else ImportBatch.objects.all()).filter(
        status=ImportBatchStatus.IMPORTING, started_at__isnull=False
    )
    stalled = stall.stalled(running, settings.IMPORT_STALL_SECONDS, now)
    return stall.requeue_or_fail(
        stalled,
        max_attempts=settings.IMPORT_MAX_ATTEMPTS,
        requeue={"started_at": None, "heartbeat_at": now},
        fail={"status": ImportBatchStatus.FAILED, "error": FAILED_INTERRUPTED},
        enqueue=run_import.enqueue,
        on_queue_error=lambda pk: _finish_failed(pk, FAILED_QUEUE),
    )


def status_payload(batch: ImportBatch) -> dict:
    """What the batch page polls: the coarse stage, and once final the page reloads the result."""
    importing = batch.status == ImportBatchStatus.IMPORTING
    if importing:
        label, percent = ("正在校验并写入", 50) if batch.started_at else ("排队中", 10)
    else:
        label, percent = batch.get_status_display(), 100 if batch.status == ImportBatchStatus.IMPORTED else 0
    return {
        "id": batch.pk,
        "state": batch.status,
        "state_label": label,
        "percent": percent,
        "final": not importing,
        "error": batch.error,
        "total_rows": batch.total_rows,
        "entered_count": batch.entered_count,
        "failed_count": batch.failed_count,
    }
