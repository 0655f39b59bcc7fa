"""批量人员进场: 【导入】 and 【放弃】 of a preview, and the purge of stale previews."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from ..models import ImportBatch, ImportBatchStatus
from ..services import enter_persons
from .read import parse_workbook
from .validate import validate_rows

# A batch the user may still 【导入】 or 【放弃】: a preview, or one whose background commit failed
# (nothing of it was written, workforce.imports.job).
OPEN_STATUSES = (ImportBatchStatus.PREVIEW, ImportBatchStatus.FAILED)


def warned_rows_unconfirmed(warned: int) -> ValidationError:
    return ValidationError(
        f"有{warned}行需要确认的提醒（如证件过期、超过年龄上限、在其他项目在场），请勾选确认后再导入。"
    )


def locked_open(batch: ImportBatch, statuses=OPEN_STATUSES) -> ImportBatch:
    """The batch row, locked until the transaction ends, if it is in one of `statuses`: two
    【导入】 of the same batch (a double submit, a job delivered twice) commit once."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in statuses:
        raise ValidationError(f"该批次{batch.get_status_display()}，不能再次操作。")
    return batch


def commit_batch(
    actor: Actor, batch: ImportBatch, *, confirm_warnings: bool = False, statuses=OPEN_STATUSES
) -> ImportBatch:
    """【导入】: validate the stored file again and enter its valid rows in one transaction.

    Rows with errors (now) end in the report as failed; every row ends entered or failed.
    Raises ValidationError when warnings are not confirmed, EntryRefused if the roster changed
    under our feet (then nothing is written and the batch keeps its status). The background job
    commits a batch in status 导入中 (`statuses`).
    """
    with transaction.atomic():
        batch = locked_open(batch, statuses)
        project = batch.project
        with batch.original_file.open("rb") as handle:
            results = validate_rows(project, parse_workbook(handle.read()))
        valid = [r for r in results if r.request is not None]
        warned = sum(1 for r in valid if r.warnings)
        if warned and not confirm_warnings:
            raise warned_rows_unconfirmed(warned)
        if valid:
            enter_persons(actor, project, [r.request for r in valid], confirm_warnings=confirm_warnings)
        report = []
        for row in results:
            item = row.as_report()
            item["status"] = "entered" if row.request is not None else "failed"
            report.append(item)
        batch.report = report
        batch.total_rows = len(results)
        batch.entered_count = len(valid)
        batch.failed_count = len(results) - len(valid)
        batch.status = ImportBatchStatus.IMPORTED
        batch.imported_at = timezone.now()
        batch.error = ""
        batch.save()
        audit.record(
            actor,
            "roster.import",
            batch,
            project=project,
            summary=f"批量人员进场：{batch.file_name}，成功进场{batch.entered_count}人，失败{batch.failed_count}行",
            after={"total": batch.total_rows, "entered": batch.entered_count, "failed": batch.failed_count},
        )
        return batch


@transaction.atomic
def abandon_batch(actor: Actor, batch: ImportBatch, *, summary: str = "") -> ImportBatch:
    """【放弃】: the preview is closed without writing anything to the roster.

    The uploaded file (full ID numbers as typed) has no use any more and is deleted once the
    abandonment commits; the batch keeps its masked report in the import history."""
    batch = locked_open(batch)
    batch.status = ImportBatchStatus.ABANDONED
    stored = batch.original_file.name
    batch.original_file = ""
    batch.save(update_fields=["status", "original_file"])
    audit.record(
        actor,
        "roster.import_abandon",
        batch,
        project=batch.project,
        summary=summary or f"放弃批量人员进场：{batch.file_name}",
    )
    if stored:
        storage = ImportBatch._meta.get_field("original_file").storage
        transaction.on_commit(lambda: storage.delete(stored))
    return batch


# An upload that is neither imported nor abandoned after this long is abandoned by
# `manage.py purge_import_previews`, so that its file of full ID numbers does not linger.
PREVIEW_RETENTION_DAYS = 7


def purge_stale_previews(now: datetime.datetime | None = None, days: int = PREVIEW_RETENTION_DAYS) -> int:
    """Abandon every preview older than `days` (its file deleted, audited as the system); returns
    how many. Run daily (docs/deploy.md)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    actor = Actor.system("预览保留期限")
    purged = 0
    for batch in ImportBatch.objects.filter(status__in=OPEN_STATUSES, created_at__lt=cutoff):
        try:
            abandon_batch(
                actor, batch, summary=f"预览超过 {days} 天未导入，自动放弃并删除原始文件：{batch.file_name}"
            )
        except ValidationError:
            continue  # imported or abandoned meanwhile
        purged += 1
    return purged
