"""批量人员进场: the upload checked and validated, recorded as a preview batch (nothing entered)."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from ..models import ImportBatch
from .read import parse_workbook, read_upload
from .validate import RowResult, validate_rows


def summarise(results: list[RowResult]) -> dict[str, int]:
    return {
        "total": len(results),
        "ok": sum(1 for r in results if r.status == "ok"),
        "warning": sum(1 for r in results if r.status == "warning"),
        "error": sum(1 for r in results if r.status == "error"),
    }


@transaction.atomic
def create_preview(actor: Actor, project, upload) -> ImportBatch:
    """Check and validate an upload; record it as a preview batch. Writes nothing to the roster."""
    data = read_upload(upload)
    results = validate_rows(project, parse_workbook(data))
    counts = summarise(results)
    file_name = PurePath(str(getattr(upload, "name", "") or "upload.xlsx")).name[:255]
    batch = ImportBatch(
        project=project,
        uploaded_by=actor.user,
        file_name=file_name,
        total_rows=counts["total"],
        failed_count=counts["error"],
        report=[r.as_report() for r in results],
    )
    batch.original_file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(data), save=False)
    batch.save()
    audit.record(
        actor,
        "roster.import_upload",
        batch,
        project=project,
        summary=f"批量人员进场上传：{file_name}，共{counts['total']}行，校验失败{counts['error']}行",
    )
    return batch
