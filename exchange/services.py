"""数据对接 actions: queue a project's changes, send them to the province, poll the outcome, re-push.

Plain functions, re-entrant and idempotent, so a cron run of `manage.py sync_province` and a task
queue later can call them side by side: a record is claimed by a status transition (queued →
sending, under select_for_update(skip_locked=True) where the database has it), so two runners never
send the same record; a poll is claimed by moving its due time, so two runners never apply one
result twice. The province's order (unit before team before worker before entry, attendance and
contract) is kept per record: a record waits until every record it refers to is accepted.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from projects.models import Project

from .client import ProvinceClient, ProvinceError, TransientError, is_transient, parse_result
from .mapping import BY_METHOD, MAPPERS, Context, Mapper, MappingError
from .models import AsyncStatus, OutboundRecord, ProvinceRequest, RecordStatus, SyncCursor

# A rescan starts this far before the last one: a change committed while the last scan ran is seen.
SCAN_OVERLAP = timedelta(minutes=5)
# A runner that died mid-send leaves its records `sending`; after this they are queued again.
STALE_CLAIM = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=6)
CLAIM_BATCHES = 20  # records claimed at once: this many requests' worth
CHANGED_IN_FLIGHT = "changed"  # fingerprint of a record edited while the province was handling it


def _fingerprint(header: dict, item: dict) -> str:
    # Keyed, because the payload holds an ID number and a plain hash of one is easily reversed.
    text = json.dumps([header, item], sort_keys=True, ensure_ascii=False, default=str)
    return salted_hmac("exchange.record", text).hexdigest()


def backoff(attempts: int, base_seconds: float) -> timedelta:
    """Exponential: base, 2×base, 4×base … up to MAX_BACKOFF."""
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


@dataclass
class SyncReport:
    queued: int = 0
    invalid: int = 0
    sent: int = 0
    accepted: int = 0
    refused: int = 0
    retrying: int = 0
    problems: list[str] = field(default_factory=list)


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
                    project=project, method=mapper.method, rank=mapper.rank, object_key=key, label=label[:200]
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
            status, message = RecordStatus.INVALID, str(exc)[:500]
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
        record.label = mapper.describe(obj)[:200]
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
    return (text + "）")[:500]


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
        status=status, message=message[:500], claim="", updated_at=timezone.now(), **extra
    )


def _retry_later(ids, attempts: int, now, message: str, report: SyncReport) -> None:
    retry_at = now + backoff(attempts, settings.PROVINCE_RETRY_SECONDS)
    OutboundRecord.objects.filter(pk__in=ids).update(
        status=RecordStatus.QUEUED,
        claim="",
        attempts=attempts,
        next_attempt_at=retry_at,
        message=f"推送失败，将于 {timezone.localtime(retry_at):%Y-%m-%d %H:%M} 重试：{message}"[:500],
        updated_at=timezone.now(),
    )
    report.retrying += len(ids)


def _submit(project, mapper, method, batch, data, client, now, report: SyncReport) -> None:
    ids = [r.pk for r in batch]
    attempts = max(r.attempts for r in batch) + 1
    try:
        serial = client.submit(method, data)
    except TransientError as exc:
        _retry_later(ids, attempts, now, str(exc), report)
        return
    except ProvinceError as exc:
        OutboundRecord.objects.filter(pk__in=ids).update(attempts=attempts)
        _answered_no(mapper, list(batch), str(exc), None, now, report)
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


# --- answers -------------------------------------------------------------------------------------

ALREADY_THERE = "已存在"
ITEM_INDEX = re.compile(r"\[(\d+)\]")
TEAM_NUMBER = re.compile(r"teamSysNo\D{0,5}(\d+)", re.IGNORECASE)


def _recovered(message: str, result) -> dict:
    """The record's key in a 已存在 answer: the province names the teamSysNo it already holds."""
    if isinstance(result, dict) and result.get("teamSysNo"):
        return {"teamSysNo": result["teamSysNo"]}
    found = TEAM_NUMBER.search(message)
    return {"teamSysNo": int(found.group(1))} if found else {}


def _mark_present(records, result: dict | None, report: SyncReport) -> None:
    for record in records:
        merged = {**(record.result if isinstance(record.result, dict) else {}), **(result or {})}
        changed = record.fingerprint == CHANGED_IN_FLIGHT  # edited meanwhile: the new version goes too
        OutboundRecord.objects.filter(pk=record.pk).update(
            status=RecordStatus.QUEUED if changed else RecordStatus.ACCEPTED,
            fingerprint="" if changed else record.fingerprint,
            known=True,
            result=merged or record.result,
            message="",
            claim="",
            updated_at=timezone.now(),
        )
        report.accepted += 1


def _answered_no(mapper: Mapper, records: list, message: str, result, now, report: SyncReport) -> None:
    """The province said no: a fault of its own is tried again later; "…已存在…" means it holds the
    record already (present, its key recovered from the answer); anything else is a refusal."""
    ids = [r.pk for r in records]
    if is_transient(message):
        _retry_later(ids, max(r.attempts for r in records), now, f"省平台暂时故障：{message}", report)
        return
    if ALREADY_THERE in message:
        index = ITEM_INDEX.search(message)
        if len(records) == 1:
            recovered = _recovered(message, result)
            if mapper.method == "Team.Add" and not (recovered or (records[0].result or {}).get("teamSysNo")):
                OutboundRecord.objects.filter(pk__in=ids).update(
                    status=RecordStatus.REFUSED,
                    claim="",
                    message=f"省平台答复班组已存在，但未给出班组编号（teamSysNo）：{message}"[:500],
                )
                report.refused += 1
                return
            _mark_present(records, recovered, report)
            return
        if index and int(index.group(1)) < len(records):
            # One item of the batch is there already: it is present, the others go again without it.
            there = records[int(index.group(1))]
            _mark_present([there], None, report)
            OutboundRecord.objects.filter(pk__in=[pk for pk in ids if pk != there.pk]).update(
                status=RecordStatus.QUEUED, claim="", request=None, message=""
            )
            return
        # Which one is not said: all are held as present and go again as the update (if any).
        if mapper.update_method:
            OutboundRecord.objects.filter(pk__in=ids).update(
                status=RecordStatus.QUEUED, known=True, claim="", message=""
            )
        else:
            _mark_present(records, None, report)
        return
    OutboundRecord.objects.filter(pk__in=ids).update(
        status=RecordStatus.REFUSED, claim="", message=message[:500], updated_at=timezone.now()
    )
    report.refused += len(ids)


# --- poll ----------------------------------------------------------------------------------------

# A request the province has not answered after this many polls is sent again (a repeat it already
# holds is answered 已存在 and taken as present).
MAX_POLLS = 20


def poll_results(
    *, client: ProvinceClient, project=None, now=None, report: SyncReport | None = None
) -> SyncReport:
    """Ask the province for the outcome of each write it has not answered yet (AsyncHandleResult).
    A poll that fails is a fault of the poll, never of the records: it is asked again later."""
    now = now or timezone.now()
    report = report or SyncReport()
    due = ProvinceRequest.objects.filter(status=AsyncStatus.PENDING, next_poll_at__lte=now)
    if project is not None:
        due = due.filter(project=project)
    lease = now + timedelta(seconds=max(settings.PROVINCE_POLL_SECONDS, 1) * 10)
    for request in list(due.order_by("id")):
        # Claim by moving the due time: a second runner's UPDATE matches nothing and skips it.
        if not ProvinceRequest.objects.filter(pk=request.pk, next_poll_at=request.next_poll_at).update(
            next_poll_at=lease
        ):
            continue
        polls = request.polls + 1
        try:
            answer = client.result(request.serial_code)
            status = str(answer.get("status"))
        except (TransientError, ProvinceError):
            status, answer = None, {}
        if status in (AsyncStatus.SUCCEEDED, AsyncStatus.FAILED):
            apply_result(request, status, answer.get("result"), report, now=now)
        elif polls >= MAX_POLLS:
            _give_up_polling(request, polls, report)
        else:
            ProvinceRequest.objects.filter(pk=request.pk).update(
                polls=polls, next_poll_at=now + backoff(polls, settings.PROVINCE_POLL_SECONDS)
            )
    return report


def _give_up_polling(request: ProvinceRequest, polls: int, report: SyncReport) -> None:
    with transaction.atomic():
        ProvinceRequest.objects.filter(pk=request.pk).update(status=AsyncStatus.FAILED, polls=polls)
        report.retrying += OutboundRecord.objects.filter(request=request, status=RecordStatus.SENT).update(
            status=RecordStatus.QUEUED,
            request=None,
            message="省平台长时间未返回处理结果，已重新排队推送",
            updated_at=timezone.now(),
        )


def apply_result(request: ProvinceRequest, status: str, result, report: SyncReport, now=None) -> None:
    now = now or timezone.now()
    result = parse_result(result)
    with transaction.atomic():
        ProvinceRequest.objects.filter(pk=request.pk).update(status=status, polls=request.polls + 1)
        records = list(
            OutboundRecord.objects.filter(request=request, status=RecordStatus.SENT).order_by("id")
        )
        if not records:
            return
        if status == AsyncStatus.SUCCEEDED:
            _mark_present(records, result if isinstance(result, dict) else None, report)
            if isinstance(result, list) and result:  # Payroll answers an array: kept as it came
                OutboundRecord.objects.filter(pk__in=[r.pk for r in records]).update(result=result)
        else:
            message = result.get("message") if isinstance(result, dict) else result
            mapper = BY_METHOD.get(records[0].method)
            _answered_no(mapper, records, str(message or "省平台处理失败（未说明原因）"), result, now, report)


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
