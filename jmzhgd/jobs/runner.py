"""The export job's body: claim the row, write the workbook with progress, store it (docs/jobs.md).

The file is written to an anonymous temporary file first and stored under its final name only once
complete; the row turns 可下载 only after that. A job that fails, is interrupted or whose worker
dies therefore never leaves a file that 【我的导出】 offers: the row ends 失败 (or is run again)
and a partial stored file is deleted. Asking for, cancelling and retrying exports is
jmzhgd.jobs.services; the job function the workers run is jmzhgd.jobs.tasks.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connection
from django.db.models import F
from django.utils import timezone

from jmzhgd.core.excel import write_workbook
from jmzhgd.db.routers import replica_reads

from . import registry, stall
from .models import Export, ExportState

logger = logging.getLogger(__name__)

PROGRESS_EVERY_ROWS = 1000  # one UPDATE per this many rows: progress without slowing the export
FAILED_GENERIC = "生成文件时出错，请稍后重新导出；如仍失败请联系技术服务支持。"
FAILED_INTERRUPTED = "导出被中断（后台进程已停止），请重新导出。"
FAILED_NO_ACCESS = "您已无权查看该项目的数据，导出已取消。"
SCOPE = object()  # _project_for_job's answer for an export over the user's whole scope
FAILED_DISK_FULL = "服务器磁盘空间已满，文件无法保存；请联系系统管理员清理磁盘后点【重试】。"
FAILED_NOT_WRITABLE = "服务器文件目录不可写（权限不足或只读），文件无法保存；请联系系统管理员后点【重试】。"


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


def write_export(export_id: int) -> str:
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
            if prepared.write is not None:  # a file of parts (a .zip): progress per part
                progress.every = 1
                prepared.write(spool, progress.count)
            else:
                sheets = [dataclasses.replace(s, rows=progress.count(s.rows)) for s in prepared.sheets]
                write_workbook(sheets, spool)
            size = spool.tell()
            spool.seek(0)
            delete_stored(export)
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
            delete_stored(export)
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
            delete_stored(export)
            finish_failed(export_id, reason, attempt=attempt)


def finish_failed(export_id: int, reason: str, *, attempt: int | None = None) -> str:
    """Marks the export failed unless it is finished already (or, given `attempt`, owned by
    another run)."""
    rows = Export.objects.filter(pk=export_id).exclude(state__in=(ExportState.READY, ExportState.CANCELLED))
    if attempt is not None:
        rows = rows.filter(attempts=attempt)
    rows.update(state=ExportState.FAILED, error=reason, finished_at=timezone.now(), file="")
    return ExportState.FAILED


def delete_stored(export: Export) -> None:
    if storage().exists(export.storage_name):
        storage().delete(export.storage_name)
