"""Punch ingestion (SPEC §8, §10): the one action behind the API's punch batch and the simulator.

One batch, one transaction:
1. every item is checked on its own (ID number, time not in the future, direction, 通行方式, photo);
   a bad item gets an "error" result and is not stored, the others go on;
2. persons are looked up in bulk by ID digest, their stays in this project in bulk too; a punch for
   somebody on the roster that day is matched, anybody else's is stored as 异常考勤 (never dropped);
3. duplicates — of rows already stored, or twice in the same batch — are found with one query per
   idempotency key and answered "duplicate"; the rest is inserted with one bulk INSERT. Should a
   concurrent request insert the same punch between the check and the insert, the unique
   constraints refuse it and the check runs again, so the duplicate report stays exact;
4. the daily summaries of the affected person-days are recomputed, and one audit row is written.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from jmzhgd.api.schemas import parse_client_datetime
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import AttendType, Direction, IdCardType
from jmzhgd.core.pii import id_digest
from jmzhgd.core.validators import normalise_document_number
from workforce.models import Person, RosterEntry

from .models import AnomalyStatus, Device, Punch, PunchSource
from .summaries import SHANGHAI, refresh_daily_summaries, shanghai_work_date

CREATED, DUPLICATE, ANOMALY, ERROR = "created", "duplicate", "anomaly", "error"
NOT_ON_ROSTER = "该人员当日不在本项目花名册（未进场或已退场）"
UNKNOWN_PERSON = "人员库中没有该证件号码的人员"
MAX_ATTEMPTS = 3
# Code-table values as sets: TextChoices.values builds a new list on every call, which adds up at
# tens of thousands of punches per second.
ID_TYPES = frozenset(IdCardType.values)
DIRECTIONS = frozenset(Direction.values)
ATTEND_TYPES = frozenset(AttendType.values)


@dataclass
class ItemResult:
    index: int
    status: str
    code: str = ""
    message: str = ""
    field: str | None = None

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "field": self.field,
        }


@dataclass
class BatchOutcome:
    results: list[ItemResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def summary(self) -> dict:
        return {s: self.count(s) for s in (CREATED, DUPLICATE, ANOMALY, ERROR)}


class ItemError(Exception):
    def __init__(self, code: str, message: str, field: str):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def parse_punch_time(value) -> datetime.datetime:
    """ "YYYY-MM-DD HH:MM:SS" in Beijing time, or ISO 8601 with an offset; whole seconds."""
    parsed = parse_client_datetime(value)
    if parsed is None:
        raise ItemError("bad_time", "打卡时间格式应为 YYYY-MM-DD HH:MM:SS（北京时间）。", "time")
    return parsed.replace(microsecond=0)


def _decimal(value, code: str, label: str, limit: int, field_name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ItemError(code, f"{label}应为数字。", field_name) from None
    if not number.is_finite() or abs(number) > limit:
        raise ItemError(code, f"{label}超出范围。", field_name)
    return number


@lru_cache(maxsize=100_000)
def _normalised_number(id_type: str, raw: str, today: datetime.date) -> str:
    """The shared validator, memoised: the same workers punch day after day. `today` is part of the
    key because the validator refuses birth dates after today."""
    return normalise_document_number(id_type, raw)


def _parse_item(item: dict, now: datetime.datetime, device_sn: str) -> Punch:
    """One item as an unsaved Punch (project, matching and source are set later), or ItemError."""
    id_type = str(item.get("idCardType") or IdCardType.RESIDENT_ID)
    if id_type not in ID_TYPES:
        raise ItemError("bad_id_type", f"证件类型“{id_type}”不在代码表中。", "idCardType")
    try:
        number = _normalised_number(
            id_type, str(item.get("idCardNumber") or ""), now.astimezone(SHANGHAI).date()
        )
    except ValidationError as exc:
        raise ItemError("bad_id_number", exc.messages[0], "idCardNumber") from None
    punched_at = parse_punch_time(item.get("time"))
    tolerance = datetime.timedelta(seconds=settings.API_PUNCH_FUTURE_TOLERANCE_SECONDS)
    if punched_at > now + tolerance:
        raise ItemError("future_time", "打卡时间晚于服务器当前时间，请校准设备时钟。", "time")
    if punched_at.year < 2000:
        raise ItemError("bad_time", "打卡时间不能早于 2000 年。", "time")
    direction = str(item.get("direction") or "")
    if direction not in DIRECTIONS:
        raise ItemError("bad_direction", "方向应为 01（入场）或 02（出场）。", "direction")
    attend_type = str(item.get("attendType") or AttendType.FACE)
    if attend_type not in ATTEND_TYPES:
        raise ItemError("bad_attend_type", f"通行方式“{attend_type}”不在代码表中。", "attendType")
    record_id = str(item.get("recordId") or "").strip()
    if len(record_id) > 64:
        raise ItemError("bad_record_id", "recordId 不能超过 64 个字符。", "recordId")
    if not device_sn:
        # A record id is unique only within its device (unique_device_record is on serial + record
        # id); without a device two clients' ids would collide, so only the fact key applies.
        record_id = ""
    punch = Punch(
        id_number=number,
        name_as_sent=str(item.get("name") or "").strip()[:50],
        punched_at=punched_at,
        work_date=shanghai_work_date(punched_at),
        direction=direction,
        attend_type=attend_type,
        device_sn=device_sn,
        record_id=record_id,
        lat=_decimal(item.get("lat"), "bad_lat", "纬度", 90, "lat"),
        lng=_decimal(item.get("lng"), "bad_lng", "经度", 180, "lng"),
    )
    # Digest now (pre_save would do it on insert) because the idempotency check needs it first.
    punch.id_number_digest = id_digest(number)
    punch._id_type = id_type
    image = item.get("image")
    if image:
        from jmzhgd.api.images import decode_base64_image

        try:
            punch.photo = decode_base64_image(image, label="抓拍照片")
        except ValidationError as exc:
            raise ItemError("bad_image", exc.messages[0], "image") from None
    return punch


def _match(project, punches: list[Punch]) -> None:
    """Set person and roster entry (or the anomaly fields) on every punch, with two queries
    (plain tuples, no model instances: this runs for every punch that arrives)."""
    digests = {p.id_number_digest for p in punches}
    persons = {
        (id_type, digest): pk
        for pk, id_type, digest in Person.objects.filter(id_number_digest__in=digests)
        .order_by()
        .values_list("pk", "id_type", "id_number_digest")
    }
    stays = defaultdict(list)
    if persons:
        entries = (
            RosterEntry.objects.filter(project=project, person_id__in=set(persons.values()))
            .order_by()
            .values_list("pk", "person_id", "entry_date", "exit_date")
        )
        for pk, person_id, entry_date, exit_date in entries:
            stays[person_id].append((pk, entry_date, exit_date))
    for punch in punches:
        person_id = persons.get((punch._id_type, punch.id_number_digest))
        entry_id = None
        if person_id is not None:
            punch.person_id = person_id
            day = punch.work_date
            entry_id = next(
                (
                    pk
                    for pk, entered, exited in stays[person_id]
                    if entered <= day and (exited is None or exited >= day)
                ),
                None,
            )
        if entry_id is not None:
            punch.roster_entry_id = entry_id
            punch.is_anomaly = False
        else:
            punch.is_anomaly = True
            punch.anomaly_status = AnomalyStatus.OPEN
            punch.anomaly_reason = UNKNOWN_PERSON if person_id is None else NOT_ON_ROSTER


def _fact_key(punch: Punch) -> tuple:
    return (punch.id_number_digest, punch.punched_at, punch.direction)


def _existing_keys(project, punches: list[Punch]) -> tuple[set, set]:
    """Idempotency keys of these punches that are already stored: (device records, facts)."""
    records = set()
    by_sn = defaultdict(set)
    for p in punches:
        if p.record_id:
            by_sn[p.device_sn].add(p.record_id)
    if by_sn:
        condition = Q()
        for sn, ids in by_sn.items():
            condition |= Q(device_sn=sn, record_id__in=sorted(ids))
        records = set(Punch.objects.filter(condition).order_by().values_list("device_sn", "record_id"))
    times = {p.punched_at for p in punches}
    facts = set(
        Punch.objects.filter(
            project=project,
            id_number_digest__in={p.id_number_digest for p in punches},
            # The range lets the unique (project, digest, punched_at, direction) index scan only the
            # batch's time span per person, however many punches those persons already have.
            punched_at__range=(min(times), max(times)),
            punched_at__in=times,
        )
        .order_by()
        .values_list("id_number_digest", "punched_at", "direction")
    )
    return records, facts


def _new_punches(project, punches: list[Punch]) -> tuple[list[Punch], set[int]]:
    """The punches not stored yet (first occurrence in the batch wins) and the ids of the duplicates."""
    records, facts = _existing_keys(project, punches)
    new, duplicates = [], set()
    for punch in punches:
        record_key = (punch.device_sn, punch.record_id) if punch.record_id else None
        if (record_key is not None and record_key in records) or _fact_key(punch) in facts:
            duplicates.add(id(punch))
            continue
        if record_key is not None:
            records.add(record_key)
        facts.add(_fact_key(punch))
        new.append(punch)
    return new, duplicates


class _UnstoredPhotoCleanup:
    """Removes the photos of a batch whose transaction rolled back.

    A photo is written to storage while the INSERT is compiled, before the transaction commits, so
    a fault later in the batch (the summary refresh, the audit row, a lost database connection)
    would leave files that no row refers to. They are deleted when the block fails before its end;
    a failed COMMIT leaves them, since whether the rows were stored is then unknown (the client's
    retry is answered "duplicate" or stores the batch again).
    """

    def __init__(self, punches: list[Punch]):
        self.punches = punches
        self.body_finished = False

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and not self.body_finished:
            for punch in self.punches:
                if punch.photo and punch.photo._committed:
                    punch.photo.storage.delete(punch.photo.name)
        return False


def ingest_punches(
    actor: Actor,
    project,
    items: list[dict],
    *,
    device: Device | None = None,
    source: str = PunchSource.API,
) -> BatchOutcome:
    """Store a batch of punches for `project` (see the module docstring). Returns a result per item."""
    now = timezone.now()
    device_sn = device.serial_number if device is not None else ""
    outcome = BatchOutcome(results=[ItemResult(index=i, status=ERROR) for i in range(len(items))])
    parsed: list[tuple[int, Punch]] = []
    for index, item in enumerate(items):
        try:
            punch = _parse_item(item if isinstance(item, dict) else {}, now, device_sn)
        except ItemError as exc:
            outcome.results[index] = ItemResult(index, ERROR, exc.code, exc.message, exc.field)
            continue
        punch.project = project
        punch.device = device
        punch.source = source
        punch.source_label = actor.display[:100]
        parsed.append((index, punch))

    punches = [p for _, p in parsed]
    with _UnstoredPhotoCleanup(punches) as cleanup, transaction.atomic():
        if punches:
            _match(project, punches)
        inserted: list[Punch] = []
        duplicates: set[int] = set()
        for attempt in range(MAX_ATTEMPTS):
            new, duplicates = _new_punches(project, punches) if punches else ([], set())
            try:
                with transaction.atomic():
                    inserted = Punch.objects.bulk_create(new, batch_size=500)
                break
            except IntegrityError:
                # A concurrent batch stored some of the same punches first: look again.
                if attempt == MAX_ATTEMPTS - 1:
                    raise
        for index, punch in parsed:
            if id(punch) in duplicates:
                outcome.results[index] = ItemResult(
                    index, DUPLICATE, "duplicate", "重复上传，已存在，无需重发。"
                )
            elif punch.is_anomaly:
                outcome.results[index] = ItemResult(
                    index, ANOMALY, "anomaly", f"已保存为异常考勤：{punch.anomaly_reason}。"
                )
            else:
                outcome.results[index] = ItemResult(index, CREATED, "created", "已保存。")
        keys = {(p.person_id, p.work_date) for p in inserted if p.person_id and not p.is_anomaly}
        if keys:
            refresh_daily_summaries(project.pk, keys)
        if device is not None:
            Device.objects.filter(pk=device.pk).update(last_seen_at=now)
        counts = outcome.summary
        audit.record(
            actor,
            "punch.ingest",
            device,
            project=project,
            summary=(
                f"接收考勤 {len(items)} 条：新增 {counts[CREATED]}，异常 {counts[ANOMALY]}，"
                f"重复 {counts[DUPLICATE]}，错误 {counts[ERROR]}"
                + (f"（设备 {device_sn}）" if device_sn else "")
            ),
        )
        cleanup.body_finished = True
    return outcome
