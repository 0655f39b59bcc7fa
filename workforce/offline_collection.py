"""Records from the offline 采集 page, accepted once each (docs/offline-collection.md §3).

`submit_record` claims the record ID (with the hash of the content) in the same transaction as the
save itself: a record that is refused rolls its claim back with everything else, so the phone may
correct it and send it again; one that is accepted answers every resend of the same content with
the stored answer; different content under an ID already accepted is refused with 409. Two copies
of a record arriving together: the second waits on the first's unique row, then is answered with
the first's answer. The save itself is the 采集 page's (workforce.collection.upsert_and_enter →
services.save_person, whose workforce.person_rights decide what this project may change).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from .models_records import CollectedRecord

CONFLICT_MESSAGE = (
    "该记录编号已上传过内容不同的记录，平台保存的是此前上传的版本，本次修改未保存。"
    "如需更正，请点击【修改】后重新保存（将作为新记录提交，按人员库规则更新该人员）。"
)


class RecordConflict(Exception):
    """The record ID was accepted before with other content."""

    def __init__(self, message: str = CONFLICT_MESSAGE):
        super().__init__(message)
        self.message = message


@dataclass
class RecordAnswer:
    body: dict
    replayed: bool


def parse_record_id(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def file_digest(upload) -> str:
    """sha256 of an uploaded file, read in chunks (and rewound for the form that reads it next)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def content_hash(fields: Iterable[tuple[str, str]], files: Iterable[tuple[str, str]]) -> str:
    """sha256 over the sent fields (sorted, so their order does not matter) and each file's sha256."""
    digest = hashlib.sha256()
    for name, value in sorted(fields):
        digest.update(f"f\x00{name}\x00{value}\x00".encode())
    for name, file_sha256 in sorted(files):
        digest.update(f"b\x00{name}\x00{file_sha256}\x00".encode())
    return digest.hexdigest()


def submit_record(
    project, record_id: uuid.UUID, digest: str, save: Callable[[], tuple[dict, object]], *, user=None
) -> RecordAnswer:
    """Run `save` (→ the answer's body and the person saved) once for `record_id` in `project`.

    Whatever `save` raises propagates and leaves no claim behind."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = CollectedRecord.objects.create(
                    project=project, record_id=record_id, content_hash=digest, created_by=user
                )
        except IntegrityError:
            stored = CollectedRecord.objects.get(project=project, record_id=record_id)
            if stored.content_hash != digest:
                raise RecordConflict() from None
            return RecordAnswer(body=stored.response, replayed=True)
        body, person = save()
        claim.response, claim.person = body, person
        claim.save(update_fields=["response", "person"])
    return RecordAnswer(body=body, replayed=False)
