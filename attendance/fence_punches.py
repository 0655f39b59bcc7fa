"""移动考勤 actions (docs/geofence.md): a phone punch checked against the project's 电子围栏, and the
project's acceptance or rejection of one that landed outside.

A punch inside a fence (allowing for the phone's reported accuracy) goes through the same ingest as
a device's punch (attendance.ingest): deduplication, roster matching, daily summaries and the audit
all hold. A punch outside, with an accuracy worse than GEOFENCE_MAX_ACCURACY_M, or on a project with
no fence is kept as 异常考勤 with its distance; accepting it ingests it then, rejecting it keeps it
and counts nothing.

Each record carries an ID made on the phone (`uuid`): the same record sent again is answered as the
first time and stores nothing; another record under a used ID is refused (FenceConflict, HTTP 409),
so an offline queue can resend without fear of doubles.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid as uuid_module
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jmzhgd.api.images import decode_base64_image
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import AttendType, Direction
from jmzhgd.core.pii import id_digest
from jmzhgd.core.validators import normalise_document_number
from projects.geofence import distance_to_site_m, is_within
from workforce.models import RosterEntry

from .ingest import DUPLICATE, ERROR, ItemError, ingest_punches, punch_time
from .models import FenceCheck, FencePunch, FenceReview, Punch, PunchSource
from .summaries import SHANGHAI

MAX_ACCURACY_ACCEPTED_M = 100_000  # a larger figure is no position at all
REASON_MAX = 200


class FenceConflict(Exception):
    """A record ID already used for a different record."""

    message = "该记录ID已用于另一条不同的打卡记录：请勿修改已提交的记录；如需重新打卡，请新建一条记录。"


@dataclass
class FenceOutcome:
    fence_punch: FencePunch
    replayed: bool = False

    def as_json(self) -> dict:
        punch = self.fence_punch
        counted = punch.review == FenceReview.COUNTED
        if counted:
            message = "打卡成功，已计入考勤。"
        else:
            message = f"已保存为异常考勤（{punch.get_fence_check_display()}"
            if punch.distance_m is not None and punch.fence_check != FenceCheck.INSIDE:
                message += f"，距围栏约 {punch.distance_m} 米"
            message += "），待项目人员认可后计入考勤。"
        return {
            "uuid": str(punch.client_uuid),
            "status": "counted" if counted else "pending",
            "check": punch.fence_check,
            "distance": punch.distance_m,
            "accuracy": punch.accuracy_m,
            "message": message,
            "replayed": self.replayed,
        }


def _number(value, label: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(f"{label}应为数字。") from None
    if not number.is_finite() or not low <= number <= high:
        raise ValidationError(f"{label}超出范围（{low}–{high}）。")
    return number


def _entry(project, record: dict, day: datetime.date) -> RosterEntry:
    """The worker's stay in `project` covering `day`: by roster entry (the page) or ID number (the API)."""
    entries = RosterEntry.objects.filter(project=project).during(day, day).select_related("person")
    entry_id, number = record.get("entryId"), str(record.get("idCardNumber") or "").strip()
    if entry_id not in (None, ""):
        if not str(entry_id).isdigit() or len(str(entry_id)) > 9:
            raise ValidationError("请选择本项目花名册中的工人。")
        entry = entries.filter(pk=int(entry_id)).first()
    elif number:
        try:
            number = normalise_document_number(str(record.get("idCardType") or "01"), number)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None
        entry = entries.filter(person__id_number_digest=id_digest(number)).order_by("-entry_date").first()
    else:
        raise ValidationError("请选择打卡的工人。")
    if entry is None:
        raise ValidationError("该工人在打卡日期不在本项目花名册中，请核对。")
    return entry


def _time(value) -> tuple[datetime.datetime, datetime.date]:
    try:
        punched_at, epoch, day = punch_time(value)
    except ItemError as exc:
        raise ValidationError(exc.message) from None
    if epoch > timezone.now().timestamp() + settings.API_PUNCH_FUTURE_TOLERANCE_SECONDS:
        raise ValidationError("打卡时间晚于服务器当前时间，请校准手机时钟。")
    if day.year < 2000:
        raise ValidationError("打卡时间不能早于 2000 年。")
    return punched_at, day


def _worker_key(record: dict) -> str:
    """Who the record names, as sent (a roster entry, or the digest of an ID number): part of the
    record's content, known before the roster is read, so a resend is answered even after the stay ended."""
    if record.get("entryId") not in (None, ""):
        return f"entry:{record['entryId']}"
    return f"id:{id_digest(str(record.get('idCardNumber') or '').strip().upper())}"


def _digest(record: dict, direction: str, punched_at, lat, lng, accuracy: int, image: bytes) -> str:
    content = [_worker_key(record), direction, punched_at.isoformat(), str(lat), str(lng), accuracy]
    content.append(hashlib.sha256(image).hexdigest())
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()


def _ingest(actor: Actor, punch: FencePunch) -> int:
    """Store `punch` as a Punch through the device ingest; the id of the Punch (new or existing).

    The photo is not sent through the ingest again: it was checked and stored with the phone record,
    and a new Punch refers to the same file (checking and storing it twice made a phone punch cost
    several device punches; bench/fence_scenario.py)."""
    person = punch.person
    item = {
        "idCardType": person.id_type,
        "idCardNumber": person.id_number,
        "name": person.name,
        "time": punch.punched_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
        "direction": punch.direction,
        "attendType": AttendType.OTHER,
        "lat": punch.lat,
        "lng": punch.lng,
    }
    result = ingest_punches(actor, punch.project_id, [item], source=PunchSource.MOBILE).results[0]
    if result.status == ERROR:
        raise ValidationError(result.message)
    # Created, a duplicate of a punch stored before, or an anomaly (the stay ended meanwhile): the
    # stored punch is found by its unique fact key.
    stored = Punch.objects.filter(
        project_id=punch.project_id,
        punched_at=punch.punched_at,
        id_number_digest=person.id_number_digest,
        direction=punch.direction,
        work_date=punch.work_date,
    )
    punch_id = stored.values_list("pk", flat=True).first()
    if punch.photo and result.status != DUPLICATE:
        stored.filter(photo="").update(photo=punch.photo.name)
    return punch_id


def submit_fence_punch(actor: Actor, project, record: dict) -> FenceOutcome:
    """Check and store one phone punch (see the module docstring); ValidationError on bad input,
    FenceConflict when its record ID was used for another record."""
    try:
        client_uuid = uuid_module.UUID(str(record.get("uuid") or ""))
    except ValueError:
        raise ValidationError("记录ID应为 UUID（由手机生成）。") from None
    punched_at, day = _time(record.get("time"))
    direction = str(record.get("direction") or "")
    if direction not in Direction.values:
        raise ValidationError("请选择进场或出场。")
    if record.get("lat") in (None, "") or record.get("lng") in (None, ""):
        raise ValidationError("缺少手机定位，请允许网页获取位置后重试。")
    lat = _number(record["lat"], "纬度", Decimal(-90), Decimal(90)).quantize(Decimal("0.000001"))
    lng = _number(record["lng"], "经度", Decimal(-180), Decimal(180)).quantize(Decimal("0.000001"))
    accuracy = int(
        _number(
            record.get("accuracy"), "定位精度", Decimal(0), Decimal(MAX_ACCURACY_ACCEPTED_M)
        ).to_integral_value(ROUND_CEILING)
    )
    if not record.get("image"):
        raise ValidationError("请拍摄现场照片。")
    photo = decode_base64_image(str(record["image"]), label="现场照片")
    image = photo.read()
    photo.seek(0)  # saved with the record below
    digest = _digest(record, direction, punched_at, lat, lng, accuracy, image)
    existing = FencePunch.objects.filter(project=project, client_uuid=client_uuid).first()
    if existing is not None:
        if existing.content_digest != digest:
            raise FenceConflict
        return FenceOutcome(existing, replayed=True)
    entry = _entry(project, record, day)

    distance = distance_to_site_m(float(lat), float(lng), project.site_fences)
    max_accuracy = settings.GEOFENCE_MAX_ACCURACY_M
    if distance is None:
        check = FenceCheck.NO_FENCE
    elif accuracy > max_accuracy:
        check = FenceCheck.INACCURATE
    elif is_within(distance, accuracy, max_accuracy):
        check = FenceCheck.INSIDE
    else:
        check = FenceCheck.OUTSIDE
    punch = FencePunch(
        project=project,
        client_uuid=client_uuid,
        content_digest=digest,
        roster_entry=entry,
        person=entry.person,
        punched_at=punched_at,
        work_date=day,
        direction=direction,
        lat=lat,
        lng=lng,
        accuracy_m=accuracy,
        distance_m=None if distance is None else round(distance),
        fence_check=check,
        review=FenceReview.COUNTED if check == FenceCheck.INSIDE else FenceReview.PENDING,
        source_label=actor.display[:100],
    )
    field = FencePunch._meta.get_field("photo")
    punch.photo.name = field.storage.save(field.generate_filename(None, photo.name), photo)
    try:
        with transaction.atomic():
            if check == FenceCheck.INSIDE:
                # A punch like a device's: the ingest audits it (punch.ingest), one write of the record.
                punch.punch_id = _ingest(actor, punch)
            punch.save()
            if check != FenceCheck.INSIDE:
                audit.record(
                    actor,
                    "fence_punch.submit",
                    punch,
                    project=project,
                    summary=(
                        f"移动考勤 {entry.person.name} {timezone.localtime(punched_at):%Y-%m-%d %H:%M}："
                        f"{punch.get_fence_check_display()}"
                        + ("" if punch.distance_m is None else f"，距围栏 {punch.distance_m} 米")
                        + f"，定位精度 {accuracy} 米，待项目处理"
                    ),
                )
    except IntegrityError:
        # The same record ID, stored a moment ago by a concurrent send of it.
        field.storage.delete(punch.photo.name)
        existing = FencePunch.objects.filter(project=project, client_uuid=client_uuid).first()
        if existing is None:
            raise
        if existing.content_digest != digest:
            raise FenceConflict from None
        return FenceOutcome(existing, replayed=True)
    except Exception:
        field.storage.delete(punch.photo.name)
        raise
    return FenceOutcome(punch)


def _reason(reason: str, label: str) -> str:
    reason = (reason or "").replace("\x00", "").strip()  # PostgreSQL stores no NUL
    if not reason:
        raise ValidationError(f"请填写{label}。")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"{label}不能超过 {REASON_MAX} 个字符。")
    return reason


def _locked_pending(punch: FencePunch) -> FencePunch:
    locked = FencePunch.objects.select_for_update().select_related("person").get(pk=punch.pk)
    if locked.review != FenceReview.PENDING:
        raise ValidationError("该条移动考勤已处理，不能重复处理。")
    return locked


def accept_fence_punch(actor: Actor, punch: FencePunch, reason: str) -> FencePunch:
    """The project vouches for a punch outside the fence: it becomes a Punch and counts."""
    reason = _reason(reason, "认可理由")
    with transaction.atomic():
        locked = _locked_pending(punch)
        locked.punch_id = _ingest(actor, locked)
        _close(actor, locked, FenceReview.ACCEPTED, reason, "fence_punch.accept", "认可")
    return locked


def reject_fence_punch(actor: Actor, punch: FencePunch, reason: str) -> FencePunch:
    """The project refuses a punch outside the fence: kept, never counted."""
    reason = _reason(reason, "驳回原因")
    with transaction.atomic():
        locked = _locked_pending(punch)
        _close(actor, locked, FenceReview.REJECTED, reason, "fence_punch.reject", "驳回")
    return locked


def _close(actor: Actor, punch: FencePunch, review: str, reason: str, action: str, verb: str) -> None:
    punch.review, punch.review_reason = review, reason
    punch.reviewed_by, punch.reviewed_at = actor.user, timezone.now()
    punch.save(update_fields=["review", "review_reason", "reviewed_by", "reviewed_at", "punch_id"])
    audit.record(
        actor,
        action,
        punch,
        project=punch.project_id,
        summary=(
            f"{verb}围栏外考勤：{punch.person.name} {timezone.localtime(punch.punched_at):%Y-%m-%d %H:%M}"
            f"（{punch.get_fence_check_display()}）：{reason}"
        ),
        before={"review": FenceReview.PENDING},
        after={"review": review, "review_reason": reason},
    )
