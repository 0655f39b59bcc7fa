"""Exports as jobs: ask, run (with progress), recover from a lost worker, purge (docs/jobs.md).

The file is written to an anonymous temporary file first and stored under its final name only once
complete; the row turns 可下载 only after that. A job that fails, is interrupted or whose worker
dies therefore never leaves a file that 【我的导出】 offers: the row ends 失败 (or is run again)
and a partial stored file is deleted.
"""

from __future__ import annotations

import dataclasses
import datetime
import errno
import logging
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connection
from django.db.models import F
from django.utils import timezone

from jmzhgd.core.excel import write_workbook
from jmzhgd.db.routers import replica_reads

from . import registry, stall
from .models import RETRYABLE_STATES, Export, ExportState

logger = logging.getLogger(__name__)

PROGRESS_EVERY_ROWS = 1000  # one UPDATE per this many rows: progress without slowing the export
FAILED_GENERIC = "生成文件时出错，请稍后重新导出；如仍失败请联系技术服务支持。"
FAILED_INTERRUPTED = "导出被中断（后台进程已停止），请重新导出。"
FAILED_NO_ACCESS = "您已无权查看该项目的数据，导出已取消。"
FAILED_QUEUE = "后台任务暂时无法排队，请稍后重新导出。"
SCOPE = object()  # _project_for_job's answer for an export over the user's whole scope
FAILED_DISK_FULL = "服务器磁盘空间已满，文件无法保存；请联系系统管理员清理磁盘后点【重试】。"
FAILED_NOT_WRITABLE = "服务器文件目录不可写（权限不足或只读），文件无法保存；请联系系统管理员后点【重试】。"
CANCELLED = "已由导出人取消。"
# Shown beside an export still queued this long while no worker is alive.
NO_WORKER_NOTICE_SECONDS = 30
NO_WORKER_NOTICE = "后台任务进程没有运行，导出尚未开始；请联系系统管理员启动后台进程，或点【取消】。"
SLOW_NOTICE = "已有一段时间没有进展；如长时间不动，可点【取消】后【重试】。"


class Cancelled(Exception):
    """The export was cancelled, or handed to another run, while this run wrote it."""


def storage_error_reason(exc: OSError) -> str:
    """What the user and the log are told about a failed write of a file (disk full, not writable)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return FAILED_DISK_FULL
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return FAILED_NOT_WRITABLE
    return FAILED_GENERIC


def storage():
    return Export._meta.get_field("file").storage


def request_export(user, project, name: str, params, prepared: registry.Prepared) -> Export:
    """Record an export job for `user` and queue it. The row is committed before the job is queued,
    so a worker on another machine always finds it."""
    from .tasks import run_export

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
        _finish_failed(export.pk, FAILED_QUEUE)
    else:
        Export.objects.filter(pk=export.pk).update(task_id=str(result.id)[:64])
    export.refresh_from_db()
    return export


class _Progress:
    """Counts the rows as the workbook consumes them and writes the count every N rows, in a short
    transaction of its own on a connection of its own (a thread's): the export's connection holds
    a read open while it streams the rows, and on SQLite a write on that same connection would have
    to upgrade that read and fail with "database is locked" as soon as anyone else had written
    (docs/jobs.md "On SQLite"). Inside a caller's transaction (the tests' immediate jobs) the count
    is written on the caller's connection: another one would wait for that transaction.

    Every write is conditional on this run still owning the export: a cancelled export, or one
    handed to another run, stops at its next write (Cancelled)."""

    def __init__(self, export_id: int, attempt: int):
        self.export_id, self.attempt, self.every, self.rows = export_id, attempt, PROGRESS_EVERY_ROWS, 0
        self.writer = None if connection.in_atomic_block else ThreadPoolExecutor(1, "export-progress")

    def count(self, rows: Iterable) -> Iterator:
        for row in rows:
            yield row
            self.rows += 1
            if self.rows % self.every == 0:
                self.write()

    def write(self) -> None:
        if self.writer is None:
            written = self._update(self.rows)
        else:
            written = self.writer.submit(self._update_on_own_connection, self.rows).result()
        if not written:
            raise Cancelled

    def _update(self, rows: int) -> int:
        # Named, not routed: the count is not a write the rows read (they may come from the
        # standby, jmzhgd/db/routers.py), so it does not send them to the primary.
        return (
            Export.objects.using(DEFAULT_DB_ALIAS)
            .filter(pk=self.export_id, state=ExportState.RUNNING, attempts=self.attempt)
            .update(done_rows=rows, heartbeat_at=timezone.now())
        )

    def _update_on_own_connection(self, rows: int) -> int:
        close_old_connections()
        return self._update(rows)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.submit(_close_connection).result()  # the thread's own connection
            self.writer.shutdown()


def _close_connection() -> None:
    connection.close()  # `connection` is the calling thread's


def _claim(export_id: int) -> bool:
    """排队中 → 生成中, in one conditional UPDATE: two workers never run the same export."""
    now = timezone.now()
    return bool(
        Export.objects.filter(pk=export_id, state=ExportState.QUEUED).update(
            state=ExportState.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            done_rows=0,
            error="",
        )
    )


def _project_for_job(export: Export):
    """The project, if the user may still see it now (access is checked again when the job runs).
    An export of no project (a supervisor's report) needs the user to be a supervisor still: the
    exporter then reads his scope as it is now. None: no access."""
    from projects.models import Project

    user = export.user
    if not user.is_active:
        return None
    if export.project_id is None:
        return SCOPE if (user.is_supervisor or user.is_superuser) else None
    return Project.objects.visible_to(user).filter(pk=export.project_id).first()


def run_export(export_id: int) -> str:
    """The job: write the export's workbook and store it. Returns the final state."""
    if not _claim(export_id):
        return "skipped"  # already run, or purged: a repeated delivery of the job does nothing
    with stall.running(Export, export_id):
        return _run_claimed(Export.objects.select_related("user").get(pk=export_id))


def _run_claimed(export: Export) -> str:
    export_id, attempt = export.pk, export.attempts
    reason = FAILED_INTERRUPTED  # stays so if anything stronger than an Exception stops the job
    progress = None
    try:
        project = _project_for_job(export)
        if project is None:
            reason = FAILED_NO_ACCESS
            return ExportState.FAILED
        progress = _Progress(export_id, attempt)
        with (
            tempfile.TemporaryFile() as spool,
            replica_reads(),
        ):  # unlinked at once: a killed worker leaves nothing
            prepared = registry.get(export.exporter)(
                None if project is SCOPE else project, export.query(), export.user
            )
            # Counted again by each run: the data may have changed since the export was asked for.
            Export.objects.using(DEFAULT_DB_ALIAS).filter(pk=export_id).update(total_rows=prepared.rows)
            sheets = [dataclasses.replace(s, rows=progress.count(s.rows)) for s in prepared.sheets]
            write_workbook(sheets, spool)
            size = spool.tell()
            spool.seek(0)
            _delete_stored(export)
            stored = storage().save(export.storage_name, File(spool))
        done = Export.objects.filter(pk=export_id, state=ExportState.RUNNING, attempts=attempt).update(
            state=ExportState.READY,
            file=stored,
            size=size,
            total_rows=progress.rows,
            done_rows=progress.rows,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        if not done:  # cancelled, or declared stalled and handed on: this attempt's file is not the one
            _delete_stored(export)
            reason = ""
            return "superseded"
        reason = ""
        return ExportState.READY
    except Cancelled:
        reason = ""  # the row already says what happened (已取消, or another run owns it)
        return "superseded"
    except ValidationError as exc:  # the filters no longer read (a unit removed since, say)
        reason = "；".join(exc.messages)[:200]
        return ExportState.FAILED
    except OSError as exc:  # the file could not be written: say why (disk full, not writable)
        reason = storage_error_reason(exc)
        logger.error("export %s: storing the file failed: %s", export_id, exc)
        return ExportState.FAILED
    except Exception:
        logger.exception("export %s failed", export_id)
        reason = FAILED_GENERIC
        return ExportState.FAILED
    finally:
        if progress is not None:
            progress.close()
        if reason:
            _delete_stored(export)
            _finish_failed(export_id, reason, attempt=attempt)


def _finish_failed(export_id: int, reason: str, *, attempt: int | None = None) -> str:
    """Marks the export failed unless it is finished already (or, given `attempt`, owned by
    another run)."""
    rows = Export.objects.filter(pk=export_id).exclude(state__in=(ExportState.READY, ExportState.CANCELLED))
    if attempt is not None:
        rows = rows.filter(attempts=attempt)
    rows.update(state=ExportState.FAILED, error=reason, finished_at=timezone.now(), file="")
    return ExportState.FAILED


def cancel_export(export: Export) -> bool:
    """【取消】: an unfinished export ends 已取消; a running job stops at its next progress write
    and leaves no file. False when it finished meanwhile."""
    cancelled = Export.objects.filter(
        pk=export.pk, state__in=(ExportState.QUEUED, ExportState.RUNNING)
    ).update(state=ExportState.CANCELLED, error=CANCELLED, finished_at=timezone.now(), file="")
    if cancelled:
        _delete_stored(export)
    return bool(cancelled)


def retry_export(export: Export) -> bool:
    """【重试】: a failed or cancelled export is queued again as a new run (progress and total
    counted afresh). False when it is not in such a state any more."""
    from .tasks import run_export

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
        _finish_failed(export.pk, FAILED_QUEUE)
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


def _delete_stored(export: Export) -> None:
    if storage().exists(export.storage_name):
        storage().delete(export.storage_name)


@stall.recovery("jobs:export")
def recover_stalled(queryset=None, now: datetime.datetime | None = None) -> int:
    """Exports whose worker died (no progress for EXPORT_STALL_SECONDS and no live worker naming
    them) are queued again, up to EXPORT_MAX_ATTEMPTS runs in all, else marked failed. Returns how
    many were handled."""
    from .tasks import run_export

    now = now or timezone.now()
    running = (queryset if queryset is not None else Export.objects.all()).filter(state=ExportState.RUNNING)
    stalled = stall.stalled(running, settings.EXPORT_STALL_SECONDS, now)
    return stall.requeue_or_fail(
        stalled,
        max_attempts=settings.EXPORT_MAX_ATTEMPTS,
        requeue={"state": ExportState.QUEUED, "heartbeat_at": now},
        fail={"state": ExportState.FAILED, "error": FAILED_INTERRUPTED, "finished_at": now, "file": ""},
        enqueue=run_export.enqueue,
        on_queue_error=lambda pk: _finish_failed(pk, FAILED_QUEUE),
        before=_delete_stored,
    )


def purge_exports(now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Delete exports (rows and files) asked for more than `days` ago; returns how many."""
    now = now or timezone.now()
    days = settings.EXPORT_RETENTION_DAYS if days is None else days
    purged = 0
    for export in Export.objects.filter(created_at__lt=now - datetime.timedelta(days=days)):
        _delete_stored(export)
        export.delete()
        purged += 1
    return purged
