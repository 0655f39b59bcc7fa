"""Punch ingestion (docs/requirements.md §8, §10): the one action behind the API's punch batch and the simulator.

One batch, stored whole or not at all:
1. every item is checked on its own (ID number, time not in the future, direction, 通行方式, photo);
   a bad item gets an "error" result and is not stored, the others go on;
2. a punch twice in the same batch (same record id, or same person, time and direction) is a
   duplicate of its first occurrence; the rest goes to the database in one INSERT that skips what a
   unique constraint refuses (`punch_store`): stored earlier, or by a concurrent batch a moment ago.
   Whatever it skipped is answered "duplicate", exactly;
3. the same INSERT matches every punch to its person and the person's stay in this project that
   day; a punch for anybody not on the roster that day is stored as 异常考勤 (never dropped);
4. the stored punches are counted into their person-days' summaries, and one audit row is written.

This runs tens of thousands of times a minute in a city (bench/README.md), so it works with plain
rows and a handful of statements, not model instances (see punch_store for why).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from jmzhgd.api.schemas import parse_client_datetime
from jmzhgd.core import audit, pii
from jmzhgd.core.actor import Actor
from jmzhgd.core.clip import clip
from jmzhgd.core.codes import AttendType, Direction, IdCardType
from jmzhgd.core.pii import id_digest, mask_id
from jmzhgd.core.signals import records_changed
from jmzhgd.core.validators import normalise_document_number

from .models import Device, Punch, PunchSource
from .punch_store import BatchContext, PunchRow, store_batch
from .summaries import SHANGHAI, shanghai_work_date

if TYPE_CHECKING:
    from projects.models import Project

CREATED, DUPLICATE, ANOMALY, ERROR = "created", "duplicate", "anomaly", "error"
# last_seen_at is written at most this often per device, so busy devices do not queue on one row.
LAST_SEEN_RESOLUTION = datetime.timedelta(seconds=60)
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


@dataclass
class BatchOutcome:
    results: list[ItemResult] = field(default_factory=list)

    @property
    def summary(self) -> dict:
        counts = dict.fromkeys((CREATED, DUPLICATE, ANOMALY, ERROR), 0)
        for result in self.results:
            counts[result.status] += 1
        return counts


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


# 2000-01-01 00:00 Beijing time in Unix seconds: no punch is older (a device whose clock was reset).
EARLIEST_EPOCH = 946_656_000
BEIJING_OFFSET_SECONDS = 8 * 3600
UNIX_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()


@lru_cache(maxsize=1024)
def _beijing_day(text: str) -> tuple[datetime.date, int]:
    """A "YYYY-MM-DD" day and the Unix time of its midnight in Beijing (ValueError if no date)."""
    day = datetime.date.fromisoformat(text)
    return day, (day.toordinal() - UNIX_EPOCH_ORDINAL) * 86400 - BEIJING_OFFSET_SECONDS


def punch_time(value) -> tuple[datetime.datetime, int, datetime.date]:
    """A punch's time, its Unix seconds and its attendance day (the date in Beijing).

    Devices send "YYYY-MM-DD HH:MM:SS" in Beijing time: that form is taken apart by position, with
    the day's midnight memoised, so a batch does no time-zone arithmetic per item (it showed in the
    API's profile). Any other form goes through parse_punch_time; both give the same values (tested).
    China has kept UTC+8 without daylight saving since 1991, and punches before 2000 are refused."""
    if type(value) is str and len(value) == 19 and value[10] == " " and value[13] == ":" and value[16] == ":":
        clock = value[11:13] + value[14:16] + value[17:19]
        if clock.isascii() and clock.isdigit():
            hour, minute, second = int(clock[:2]), int(clock[2:4]), int(clock[4:])
            try:
                day, midnight = _beijing_day(value[:10])
            except ValueError:
                day = None
            if day is not None and hour < 24 and minute < 60 and second < 60:
                return (
                    datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=SHANGHAI),
                    midnight + hour * 3600 + minute * 60 + second,
                    day,
                )
    punched_at = parse_punch_time(value)
    return punched_at, int(punched_at.timestamp()), shanghai_work_date(punched_at)


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
def _identity(
    id_type: str, raw: str, today: datetime.date, digest_key: str, encryption_keys: tuple[str, ...]
) -> tuple[str, str, str, str]:
    """(normalised number, digest, mask, encrypted number) of a sent ID number, memoised per worker
    process: the same workers punch day after day. `today` is part of the key because the shared
    validator refuses birth dates after today, the keys so that a changed key is never answered
    from here. An invalid number raises ValidationError (not memoised).

    The encrypted number is stored only if the punch turns out to be an anomaly, which the storing
    statement finds out; every row therefore carries it, and encrypting each time would cost more
    than the rest of the row. Memoised, a worker reuses one ciphertext per number: that tells no
    more than the digest next to it, which is the same for every punch of a number anyway."""
    number = normalise_document_number(id_type, raw)
    return number, id_digest(number), mask_id(number), pii.encrypt(number)


@dataclass(frozen=True, slots=True)
class _ParseContext:
    """What checking every item of one batch needs, looked up once per batch."""

    latest: int  # Unix seconds: now + the tolerated clock skew
    today: datetime.date
    device_sn: str
    digest_key: str
    encryption_keys: tuple[str, ...]

    @classmethod
    def at(cls, now: datetime.datetime, device_sn: str) -> _ParseContext:
        return cls(
            latest=int(now.timestamp()) + settings.API_PUNCH_FUTURE_TOLERANCE_SECONDS,
            today=now.astimezone(SHANGHAI).date(),
            device_sn=device_sn,
            digest_key=settings.PII_DIGEST_KEY,
            encryption_keys=tuple(settings.PII_ENCRYPTION_KEYS),
        )


def _parse_item(index: int, item: dict, context: _ParseContext) -> PunchRow:
    """One item as a row to store (matching is done later for the whole batch), or ItemError."""
    id_type = str(item.get("idCardType") or IdCardType.RESIDENT_ID)
    if id_type not in ID_TYPES:
        raise ItemError("bad_id_type", f"证件类型“{id_type}”不在代码表中。", "idCardType")
    try:
        number, digest, masked, encrypted = _identity(
            id_type,
            str(item.get("idCardNumber") or ""),
            context.today,
            context.digest_key,
            context.encryption_keys,
        )
    except ValidationError as exc:
        raise ItemError("bad_id_number", exc.messages[0], "idCardNumber") from None
    punched_at, epoch, work_date = punch_time(item.get("time"))
    if epoch > context.latest:
        raise ItemError("future_time", "打卡时间晚于服务器当前时间，请校准设备时钟。", "time")
    if epoch < EARLIEST_EPOCH:
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
    if not context.device_sn:
        # A record id is unique only within its device and day (unique_device_record is on serial +
        # record id + day); without a device two clients' ids would collide, so only the fact key applies.
        record_id = ""
    row = PunchRow(
        index=index,
        id_type=id_type,
        id_number=number,
        id_number_encrypted=encrypted,
        id_number_digest=digest,
        id_number_masked=masked,
        name_as_sent=clip(Punch, "name_as_sent", str(item.get("name") or "").strip()),
        punched_at=punched_at,
        epoch=epoch,
        work_date=work_date,
        direction=direction,
        attend_type=attend_type,
        record_id=record_id,
        lat=None if (lat := item.get("lat")) is None else _decimal(lat, "bad_lat", "纬度", 90, "lat"),
        lng=None if (lng := item.get("lng")) is None else _decimal(lng, "bad_lng", "经度", 180, "lng"),
    )
    image = item.get("image")
    if image:
        from jmzhgd.api.images import decode_base64_image

        try:
            row.photo = decode_base64_image(image, label="抓拍照片")
        except ValidationError as exc:
            raise ItemError("bad_image", exc.messages[0], "image") from None
    return row


def _first_occurrences(rows: list[PunchRow]) -> tuple[list[PunchRow], list[PunchRow]]:
    """The rows to send to the database, and the repeats of an earlier row of the same batch (same
    record id of the device on the same day, or same person, time and direction): those are
    duplicates already, by the same keys as Punch's unique constraints."""
    firsts, repeats, facts, records = [], [], set(), set()
    for row in rows:
        record = (row.record_id, row.work_date) if row.record_id else None
        if row.fact_key in facts or record in records:
            repeats.append(row)
            continue
        facts.add(row.fact_key)
        if record:
            records.add(record)
        firsts.append(row)
    return firsts, repeats


class _PhotoFiles:
    """The snapshots of a batch: written to storage before the INSERT (the row carries the file name)
    and deleted again for every row the INSERT skipped as a duplicate, or for all of them when
    storing fails. A lost connection leaves them, since whether the rows were stored is then
    unknown (the client's retry is answered "duplicate" or stores the batch again): a file nobody
    refers to costs disk space, a row whose photo was deleted loses the photo."""

    def __init__(self, rows: list[PunchRow]):
        self.rows = [row for row in rows if row.photo is not None]
        self.field = Punch._meta.get_field("photo")
        self.body_finished = False

    def save(self) -> None:
        for row in self.rows:
            name = self.field.generate_filename(None, row.photo.name)
            row.photo_name = self.field.storage.save(name, row.photo, max_length=self.field.max_length)

    def discard(self, rows: list[PunchRow]) -> None:
        for row in rows:
            if row.photo_name:
                self.field.storage.delete(row.photo_name)
                row.photo_name = ""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        outcome_unknown = isinstance(exc, OperationalError | InterfaceError)
        if exc_type is not None and not self.body_finished and not outcome_unknown:
            self.discard(self.rows)
        return False


def _touch_device(device: Device | None, now: datetime.datetime) -> None:
    if device is not None and (
        device.last_seen_at is None or now - device.last_seen_at >= LAST_SEEN_RESOLUTION
    ):
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now


def ingest_punches(
    actor: Actor,
    project: Project | int,
    items: list[dict],
    *,
    device: Device | None = None,
    source: str = PunchSource.API,
) -> BatchOutcome:
    """Store a batch of punches for `project` (a Project or its id; see the module docstring).
    Returns a result per item."""
    project_id = getattr(project, "pk", project)
    now = timezone.now()
    device_sn = device.serial_number if device is not None else ""
    context = _ParseContext.at(now, device_sn)
    results: list[ItemResult | None] = [None] * len(items)  # every slot is filled below
    rows: list[PunchRow] = []
    for index, item in enumerate(items):
        try:
            rows.append(_parse_item(index, item if isinstance(item, dict) else {}, context))
        except ItemError as exc:
            results[index] = ItemResult(index, ERROR, exc.code, exc.message, exc.field)
    batch = BatchContext(
        project_id=project_id,
        device_id=device.pk if device is not None else None,
        device_sn=device_sn,
        source=source,
        source_label=clip(Punch, "source_label", actor.display),
        received_at=now,
    )
    firsts, repeats = _first_occurrences(rows)
    errors = sum(result is not None for result in results)
    audit_row = audit.build(
        actor,
        "punch.ingest",
        device,
        project=project_id,
        # The numbers stored, stored as anomalies and skipped as duplicates are filled in as the
        # batch is stored (store_batch); a % in the serial number must stay itself.
        summary=f"接收考勤 {len(items)} 条：新增 %s，异常 %s，重复 %s，错误 {errors}"
        + (f"（设备 {device_sn.replace('%', '%%')}）" if device_sn else ""),
    )
    # store_batch is atomic by itself (one statement, or a transaction of its own): the batch is
    # stored whole or not at all. Under the API the whole request is one transaction with its
    # nonce (jmzhgd.api.idempotency): a failure after it rolls the batch back, and the device's
    # resend stores it.
    with _PhotoFiles(firsts) as photos:
        photos.save()
        stored_keys = store_batch(firsts, batch, audit_row, repeats=len(repeats))
        photos.body_finished = True
    skipped = [row for row in firsts if row.fact_key not in stored_keys]
    photos.discard(skipped)
    for row in repeats + skipped:
        results[row.index] = ItemResult(row.index, DUPLICATE, "duplicate", "重复上传，已存在，无需重发。")
    for row in firsts:
        if row.fact_key not in stored_keys:
            continue
        if row.is_anomaly:
            results[row.index] = ItemResult(
                row.index, ANOMALY, "anomaly", f"已保存为异常考勤：{row.anomaly_reason}。"
            )
        else:
            results[row.index] = ItemResult(row.index, CREATED, "created", "已保存。")
    _touch_device(device, now)
    records_changed.send(Punch, project_ids=[project_id])
    return BatchOutcome(results=results)
