"""数据对接 actions: queue a project's changes, send them to the province, poll the outcome, re-push.

Plain functions, re-entrant and idempotent, so a cron run of `manage.py sync_province` and a task
queue later can call them side by side: a record is claimed by a status transition (queued →
sending, under select_for_update(skip_locked=True) where the database has it), so two runners never
send the same record; a poll is claimed by moving its due time, so two runners never apply one
result twice. The province's order (unit before team before worker before entry, attendance and
contract) is kept per record: a record waits until the province holds every record it refers to.
What the province answers, and what becomes of the records then, is exchange.answers.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.clip import clip
from projects.models import Project

from .answers import (  # noqa: F401 (backoff, MAX_BACKOFF, poll_results, apply_result: the actions' API)
    CHANGED_IN_FLIGHT,
    MAX_BACKOFF,
    SyncReport,
    answered_no,
    apply_result,
    backoff,
    poll_results,
    retry_later,
)
from .client import ProvinceClient, ProvinceError, TransientError
from .mapping import BY_METHOD, MAPPERS, Context, Mapper, MappingError
from .models import AsyncStatus, OutboundRecord, ProvinceRequest, RecordStatus, SyncCursor

# A rescan starts this far before the last one: a change committed while the last scan ran is seen.
SCAN_OVERLAP = timedelta(minutes=5)
# A runner that died mid-send leaves its records `sending`; after this they are queued again.
STALE_CLAIM = timedelta(minutes=10)
CLAIM_BATCHES = 20  # records claimed at once: this many requests' worth


def _fingerprint(header: dict, item: dict) -> str:
    # Keyed, because the payload holds an ID number and a plain hash of one is easily reversed.
    text = json.dumps([header, item], sort_keys=True, ensure_ascii=False, default=str)
    return salted_hmac("exchange.record", text).hexdigest()


# --- queue ---------------------------------------------------------------------------------------


def enqueue_changes(
    project: Project, *, now: datetime | None = None, report: SyncReport | None = None
) -> SyncReport:
    """Queue every record of `project` changed since the last scan. A record the standard cannot take
    (a required field empty) is not queued: it is kept as 本地校验未通过 with the field named."""
    now = now or timezone.now()
    report = report or SyncReport()
    cursor = SyncCursor.objects.filter(project=project).first()
    since = cursor.scanned_at - SCAN_OVERLAP if cursor else None
    ctx = Context()  # no cipher: the check and the fingerprint never leave the process
    for mapper in MAPPERS:
        if mapper.append_only:
            rows = [
                OutboundRecord(
                    project=project, method=mapper.method, rank=mapper.rank, object_key=key, label=clip(OutboundRecord, "label", label)
                )
                for key, label in mapper.changed(project, since)
            ]
            before = OutboundRecord.objects.filter(project=project, method=mapper.method).count()
            OutboundRecord.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
            report.queued += (
                OutboundRecord.objects.filter(project=project, method=mapper.method).count() - before
            )
            continue
        _enqueue_rows(project, mapper, mapper.changed(project, since), ctx, report)
    SyncCursor.objects.update_or_create(project=project, defaults={"scanned_at": now})
    return report


def _enqueue_rows(project, mapper: Mapper, rows, ctx: Context, report: SyncReport) -> None:
    existing = {r.object_key: r for r in OutboundRecord.objects.filter(project=project, method=mapper.method)}
    for key, obj in rows:
        try:
            fingerprint = _fingerprint(*mapper.payload(obj, ctx))
            status, message = RecordStatus.QUEUED, ""
        except MappingError as exc:
            status, message = RecordStatus.INVALID, clip(OutboundRecord, "message", exc)
            fingerprint = salted_hmac("exchange.invalid", message).hexdigest()
        record = existing.get(key)
        if record is not None and record.fingerprint in (fingerprint, CHANGED_IN_FLIGHT):
            continue
        if record is None:
            record = OutboundRecord(project=project, method=mapper.method, rank=mapper.rank, object_key=key)
        elif record.status in (RecordStatus.SENDING, RecordStatus.SENT):
            # The province has the old version: send again once it answers (apply_result).
            OutboundRecord.objects.filter(pk=record.pk).update(fingerprint=CHANGED_IN_FLIGHT)
            continue
        record.label = clip(OutboundRecord, "label", mapper.describe(obj))
        record.fingerprint, record.status, record.message = fingerprint, status, message
        record.attempts, record.next_attempt_at = 0, None
        record.save()
        if status == RecordStatus.INVALID:
            report.invalid += 1
        else:
            report.queued += 1


# --- send ----------------------------------------------------------------------------------------


def _claim(mapper: Mapper, project, now: datetime, after_id: int) -> list[OutboundRecord]:
    ready = OutboundRecord.objects.filter(
        method=mapper.method, status=RecordStatus.QUEUED, id__gt=after_id
    ).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    if project is not None:
        ready = ready.filter(project=project)
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            ready.select_for_update(skip_locked=True)
            .order_by("id")
            .values_list("id", flat=True)[: mapper.size * CLAIM_BATCHES]
        )
        if not ids:
            return []
        OutboundRecord.objects.filter(id__in=ids, status=RecordStatus.QUEUED).update(
            status=RecordStatus.SENDING, claim=token, claimed_at=now
        )
    return list(OutboundRecord.objects.filter(claim=token, status=RecordStatus.SENDING).order_by("id"))


def context_for(project, client: ProvinceClient | None) -> Context:
    known_teams = OutboundRecord.objects.filter(project=project, method="Team.Add", known=True).values_list(
        "object_key", "result"
    )
    return Context(
        cipher=client.cipher() if client is not None else None,
        team_sys_no={
            int(key): result.get("teamSysNo") for key, result in known_teams if isinstance(result, dict)
        },
    )


def _present(project, mapper: Mapper) -> set[tuple[str, str]]:
    """(method, key) of the records the province holds: accepted once, or answered 已存在."""
    methods = [m.method for m in MAPPERS if m.rank <= mapper.rank]
    return set(
        OutboundRecord.objects.filter(project=project, known=True, method__in=methods).values_list(
            "method", "object_key"
        )
    )


def build_batches(mapper: Mapper, pairs, ctx: Context, method: str | None = None):
    """(records, data) per request: items that share a header (the same team …) go together, up to
    the record type's batch size. `pairs` is (record, object); a record that cannot be mapped is
    yielded alone with its MappingError instead of data. `method` is the update method for edits."""
    groups: dict[str, tuple[dict, list]] = {}
    for record, obj in pairs:
        try:
            header, item = mapper.payload(obj, ctx, method)
        except MappingError as exc:
            yield [record], exc
            continue
        key = json.dumps(header, sort_keys=True, default=str)
        groups.setdefault(key, (header, []))[1].append((record, item))
    size = mapper.size
    for header, members in groups.values():
        for start in range(0, len(members), size):
            chunk = members[start : start + size]
            yield [r for r, _ in chunk], mapper.data(header, [i for _, i in chunk])


def _waiting_message(dep: tuple[str, str], found: OutboundRecord | None) -> str:
    """What a record waits for, in the clerk's words (the record it refers to, and why)."""
    method, key = dep
    label = BY_METHOD[method].label if method in BY_METHOD else method
    if found is None:
        return f"等待{label}（{key}）先推送到省平台"
    text = f"等待{label}【{found.label}】被省平台接收（该记录{found.get_status_display()}"
    if found.status in (RecordStatus.REFUSED, RecordStatus.INVALID) and found.message:
        text += f"：{found.message}"
    return clip(OutboundRecord, "message", text + "）")


def _hold_waiting(project, waiting: dict[int, tuple[str, str]]) -> None:
    """Back in the queue, tried again after the next poll, each saying which record it waits for."""
    if not waiting:
        return
    deps = set(waiting.values())
    found = {
        (r.method, r.object_key): r
        for r in OutboundRecord.objects.filter(
            project=project,
            method__in={m for m, _ in deps},
            object_key__in={k for _, k in deps},
        )
    }
    by_message: dict[str, list[int]] = defaultdict(list)
    for pk, dep in waiting.items():
        by_message[_waiting_message(dep, found.get(dep))].append(pk)
    for message, ids in by_message.items():
        OutboundRecord.objects.filter(pk__in=ids).update(
            status=RecordStatus.QUEUED, claim="", message=message
        )


def _send_claimed(mapper, records, client, now, report: SyncReport) -> None:
    by_project = defaultdict(list)
    for record in records:
        by_project[record.project_id].append(record)
    for project_id, members in by_project.items():
        project = Project.objects.get(pk=project_id)
        objects = mapper.load(project, [r.object_key for r in members])
        present, ctx = _present(project, mapper), context_for(project, client)
        waiting: dict[int, tuple[str, str]] = {}
        ready: dict[str, list] = defaultdict(list)  # by the method they go with: Add, or the update
        for record in members:
            obj = objects.get(record.object_key)
            if obj is None:
                _set(record, RecordStatus.INVALID, "源记录已不存在或不再需要推送（如考勤已转为异常）")
                continue
            missing = [dep for dep in mapper.requires(obj) if dep not in present]
            if missing:
                waiting[record.pk] = missing[0]
            else:
                ready[mapper.method_for(record.known)].append((record, obj))
        _hold_waiting(project, waiting)
        for method, pairs in ready.items():
            for batch, data in build_batches(mapper, pairs, ctx, method):
                if isinstance(data, MappingError):
                    _set(batch[0], RecordStatus.INVALID, str(data))
                    report.invalid += 1
                else:
                    _submit(project, mapper, method, batch, data, client, now, report)


def _set(record: OutboundRecord, status: str, message: str, **extra) -> None:
    OutboundRecord.objects.filter(pk=record.pk).update(
        status=status, message=clip(OutboundRecord, "message", message), claim="", updated_at=timezone.now(), **extra
    )


def _submit(project, mapper, method, batch, data, client, now, report: SyncReport) -> None:
    ids = [r.pk for r in batch]
    attempts = max(r.attempts for r in batch) + 1
    try:
        serial = client.submit(method, data)
    except TransientError as exc:
        retry_later(ids, attempts, now, str(exc), report)
        return
    except ProvinceError as exc:
        OutboundRecord.objects.filter(pk__in=ids).update(attempts=attempts)
        answered_no(mapper, method, list(batch), str(exc), None, now, report)
        return
    request = ProvinceRequest.objects.create(
        project=project, method=method, serial_code=serial, sent_at=now, next_poll_at=now
    )
    OutboundRecord.objects.filter(pk__in=ids).update(
        status=RecordStatus.SENT,
        claim="",
        attempts=attempts,
        request=request,
        message="",
        updated_at=timezone.now(),
    )
    report.sent += len(ids)


def send_ready(
    *, client: ProvinceClient, project=None, now=None, report: SyncReport | None = None
) -> SyncReport:
    """Send every queued record whose turn has come, in the standard's order."""
    now = now or timezone.now()
    report = report or SyncReport()
    for mapper in MAPPERS:
        after_id = 0
        while records := _claim(mapper, project, now, after_id):
            after_id = records[-1].pk
            _send_claimed(mapper, records, client, now, report)
    return report


# --- run -----------------------------------------------------------------------------------------


def recover_stale_claims(now: datetime) -> int:
    return OutboundRecord.objects.filter(
        status=RecordStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=RecordStatus.QUEUED, claim="")


def sync_province(
    *,
    project=None,
    client: ProvinceClient | None = None,
    now=None,
    max_seconds: float = 300,
    sleep=time.sleep,
) -> SyncReport:
    """One run: queue changes, then poll and send in rounds while the province makes progress.
    Each project talks under its own credentials (`client` overrides them, for tests); a project
    without credentials has its changes queued and nothing sent."""
    report = SyncReport()
    recover_stale_claims(now or timezone.now())
    projects = [project] if project is not None else list(Project.objects.order_by("pk"))
    for each in projects:
        enqueue_changes(each, now=now, report=report)
    clients = {each: client or ProvinceClient.for_project(each) for each in projects}
    clients = {each: c for each, c in clients.items() if c is not None}
    deadline = time.monotonic() + max_seconds
    while clients and time.monotonic() < deadline:
        before = (report.sent, report.accepted, report.refused)
        for each, each_client in clients.items():
            poll_results(client=each_client, project=each, now=now, report=report)
            send_ready(client=each_client, project=each, now=now, report=report)
        pending = ProvinceRequest.objects.filter(status=AsyncStatus.PENDING, project__in=list(clients))
        if not pending.exists():
            break
        if (report.sent, report.accepted, report.refused) == before:
            sleep(settings.PROVINCE_POLL_SECONDS)
    return report


# --- 重新推送 ------------------------------------------------------------------------------------


def repush(actor: Actor, record: OutboundRecord) -> OutboundRecord:
    """【重新推送】 a record the province refused: back in the queue, audited."""
    with transaction.atomic():
        locked = OutboundRecord.objects.select_for_update().get(pk=record.pk)
        if locked.status != RecordStatus.REFUSED:
            raise ValidationError("只有被省平台退回的记录才能重新推送。")
        before = {"status": locked.status, "message": locked.message}
        locked.status, locked.attempts, locked.next_attempt_at, locked.message = (
            RecordStatus.QUEUED,
            0,
            None,
            "",
        )
        locked.save(update_fields=["status", "attempts", "next_attempt_at", "message", "updated_at"])
        audit.record(
            actor,
            "exchange.repush",
            locked,
            project=locked.project_id,
            summary=f"重新推送 {locked.method} {locked.label}",
            before=before,
            after={"status": locked.status},
        )
    return locked
