"""Exports as jobs: ask, run (with progress), recover from a lost worker, purge (docs/jobs.md).

The file is written to an anonymous temporary file first and stored under its final name only once
complete; the row turns 可下载 only after that. A job that fails, is interrupted or whose worker
dies therefore never leaves a file that 【我的导出】 offers: the row ends 失败 (or is run again)
and a partial stored file is deleted.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import tempfile
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS
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
FAILED_QUEUE = "后台任务暂时无法排队，请稍后重新导出。"


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
    """Counts the rows as the workbook consumes them and writes the count every N rows."""

    def __init__(self, export_id: int):
        self.export_id, self.every, self.rows = export_id, PROGRESS_EVERY_ROWS, 0

    def count(self, rows: Iterable) -> Iterator:
        for row in rows:
            yield row
            self.rows += 1
            if self.rows % self.every == 0:
                # Named, not routed: the count is not a write the rows read (they may come from
                # the standby, jmzhgd/db/routers.py), so it does not send them to the primary.
                Export.objects.using(DEFAULT_DB_ALIAS).filter(pk=self.export_id).update(
                    done_rows=self.rows, heartbeat_at=timezone.now()
                )


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
    """The project, if the user may still see it now (access is checked again when the job runs)."""
    from projects.models import Project

    user = export.user
    if not user.is_active:
        return None
    return Project.objects.visible_to(user).filter(pk=export.project_id).first()


def run_export(export_id: int) -> str:
    """The job: write the export's workbook and store it. Returns the final state."""
    if not _claim(export_id):
        return "skipped"  # already run, or purged: a repeated delivery of the job does nothing
    export = Export.objects.select_related("user").get(pk=export_id)
    reason = FAILED_INTERRUPTED  # stays so if anything stronger than an Exception stops the job
    try:
        project = _project_for_job(export)
        if project is None:
            reason = FAILED_NO_ACCESS
            return ExportState.FAILED
        progress = _Progress(export_id)
        with (
            tempfile.TemporaryFile() as spool,
            replica_reads(),
        ):  # unlinked at once: a killed worker leaves nothing
            prepared = registry.get(export.exporter)(project, export.query(), export.user)
            sheets = [dataclasses.replace(s, rows=progress.count(s.rows)) for s in prepared.sheets]
            write_workbook(sheets, spool)
            size = spool.tell()
            spool.seek(0)
            _delete_stored(export)
            stored = storage().save(export.storage_name, File(spool))
        done = Export.objects.filter(pk=export_id, state=ExportState.RUNNING).update(
            state=ExportState.READY,
            file=stored,
            size=size,
            done_rows=progress.rows,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        if not done:  # declared stalled and handed on meanwhile: this attempt's file is not the one
            return "superseded"
        reason = ""
        return ExportState.READY
    except ValidationError as exc:  # the filters no longer read (a unit removed since, say)
        reason = "；".join(exc.messages)[:200]
        return ExportState.FAILED
    except Exception:
        logger.exception("export %s failed", export_id)
        reason = FAILED_GENERIC
        return ExportState.FAILED
    finally:
        if reason:
            _delete_stored(export)
            _finish_failed(export_id, reason)


def _finish_failed(export_id: int, reason: str) -> str:
    Export.objects.filter(pk=export_id).exclude(state=ExportState.READY).update(
        state=ExportState.FAILED, error=reason, finished_at=timezone.now(), file=""
    )
    return ExportState.FAILED


def _delete_stored(export: Export) -> None:
    if storage().exists(export.storage_name):
        storage().delete(export.storage_name)


def recover_stalled(queryset=None, now: datetime.datetime | None = None) -> int:
    """Exports whose worker died (no progress for EXPORT_STALL_SECONDS) are queued again, up to
    EXPORT_MAX_ATTEMPTS runs in all, else marked failed. Returns how many were handled."""
    from .tasks import run_export

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.EXPORT_STALL_SECONDS)
    stalled = (queryset if queryset is not None else Export.objects.all()).filter(
        state=ExportState.RUNNING, heartbeat_at__lt=cutoff
    )
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
