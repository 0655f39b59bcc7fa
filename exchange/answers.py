"""数据对接: what the province answers, and what becomes of the records it answered for.

A write is answered at once (a refusal, or a request serial code) and later by AsyncHandleResult.
The platform's own faults (a network error, HTTP 5xx, "Internal Error" at once or as the result, a
poll that fails) are tried again with backoff and never make a record refused; "…已存在…" means the
province holds the record (present, its key read from the answer); anything else is its refusal of
the record, shown with its message for 【重新推送】 after the fix (docs/deploy.md, 数据对接).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jmzhgd.core.clip import clip

from .client import ProvinceClient, ProvinceError, TransientError, is_transient, parse_result
from .mapping import BY_METHOD, Mapper
from .models import AsyncStatus, OutboundRecord, ProvinceRequest, RecordStatus

MAX_BACKOFF = timedelta(hours=6)
CHANGED_IN_FLIGHT = "changed"  # fingerprint of a record edited while the province was handling it


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


def retry_later(ids, attempts: int, now, message: str, report: SyncReport) -> None:
    retry_at = now + backoff(attempts, settings.PROVINCE_RETRY_SECONDS)
    OutboundRecord.objects.filter(pk__in=ids).update(
        status=RecordStatus.QUEUED,
        claim="",
        attempts=attempts,
        next_attempt_at=retry_at,
        message=clip(
            OutboundRecord, "message", f"推送失败，将于 {timezone.localtime(retry_at):%Y-%m-%d %H:%M} 重试：{message}"
        ),
        updated_at=timezone.now(),
    )
    report.retrying += len(ids)


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


def answered_no(
    mapper: Mapper, method: str, records: list, message: str, result, now, report: SyncReport
) -> None:
    """The province said no: a fault of its own is tried again later; "…已存在…" means it holds the
    record already (present, its key recovered from the answer); anything else is a refusal."""
    ids = [r.pk for r in records]
    if is_transient(message):
        retry_later(ids, max(r.attempts for r in records), now, f"省平台暂时故障：{message}", report)
        return
    # Only an Add can find its record there already (an update answering 已存在 names a clash).
    if ALREADY_THERE in message and method == mapper.method:
        index = ITEM_INDEX.search(message)
        if len(records) == 1:
            recovered = _recovered(message, result)
            if mapper.method == "Team.Add" and not (recovered or (records[0].result or {}).get("teamSysNo")):
                OutboundRecord.objects.filter(pk__in=ids).update(
                    status=RecordStatus.REFUSED,
                    claim="",
                    message=clip(
                        OutboundRecord, "message", f"省平台答复班组已存在，但未给出班组编号（teamSysNo）：{message}"
                    ),
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
        status=RecordStatus.REFUSED, claim="", message=clip(OutboundRecord, "message", message), updated_at=timezone.now()
    )
    report.refused += len(ids)


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
            reason = str(message or "省平台处理失败（未说明原因）")
            answered_no(mapper, request.method, records, reason, result, now, report)
