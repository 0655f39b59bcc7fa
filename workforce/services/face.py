"""人证比对 actions (docs/face-match.md): compare a person's photo with his ID card's photo for a project, and
the clerk's confirmation with a reason. Both are audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from ..face_match import compare
from ..models import FaceMatch, FaceMatchStatus, Person

REASON_MAX = 200


def can_compare(person: Person) -> bool:
    return bool(person.photo) and bool(person.id_front_image)


def current_face_match(project, person: Person) -> FaceMatch | None:
    """The project's latest comparison of the person's present photo and card photo, if any."""
    latest = FaceMatch.objects.filter(project=project, person=person).first()
    return latest if latest is not None and latest.is_for(person) else None


def face_match_for(actor: Actor, project, person: Person) -> FaceMatch | None:
    """The current comparison for `project`, made now if the photos are new; None without both photos."""
    if not can_compare(person):
        return None
    match = current_face_match(project, person)
    if match is not None:
        return match
    result = compare(person.photo, person.id_front_image)
    with transaction.atomic():
        match = FaceMatch.objects.create(
            project=project,
            person=person,
            method=result.method,
            score=result.score,
            threshold=result.threshold,
            note=result.note,
            photo_name=person.photo.name,
            card_photo_name=person.id_front_image.name,
            status=FaceMatchStatus.PASSED if result.passed else FaceMatchStatus.PENDING,
        )
        audit.record(
            actor,
            "face_match.compare",
            match,
            project=project,
            summary=f"人证比对：{person}，{match.get_method_display()}，{match.get_status_display()}",
            after={
                "method": match.method,
                "score": match.score,
                "threshold": match.threshold,
                "note": match.note,
            },
        )
    return match


def face_matches_blocking_entry(actor: Actor, project, persons: list[Person]) -> list[FaceMatch]:
    """The comparisons that hold these persons' entry: not passed and not confirmed by the clerk."""
    matches = [face_match_for(actor, project, person) for person in persons]
    held = (FaceMatchStatus.PENDING, FaceMatchStatus.REJECTED)
    return [m for m in matches if m is not None and m.status in held]


def blocking_message(match: FaceMatch) -> str:
    if match.status == FaceMatchStatus.REJECTED:
        return f"{match.person}：人证比对已确认不是本人（{match.reason}），不能进场。"
    detail = f"相似度 {match.score_label}，" if match.score is not None else ""
    note = f"{match.note}，" if match.note else ""
    return (
        f"{match.person}：人证比对{detail}{note}需人工核对人员照片与身份证照片，"
        "请在【人证比对】中确认是本人并填写理由后再进场。"
    )


def decide_face_match(actor: Actor, match: FaceMatch, *, same_person: bool, reason: str) -> FaceMatch:
    """The clerk's word on a comparison: 是本人 / 不是本人, always with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写确认理由（如：已核对本人与身份证原件）。"})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"确认理由不能超过{REASON_MAX}个字。"})
    with transaction.atomic():
        match = FaceMatch.objects.select_for_update().get(pk=match.pk)
        before = {"status": match.get_status_display(), "reason": match.reason}
        match.status = FaceMatchStatus.CONFIRMED if same_person else FaceMatchStatus.REJECTED
        match.reason = reason
        match.decided_by = actor.user
        match.decided_at = timezone.now()
        match.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        audit.record(
            actor,
            "face_match.decide",
            match,
            project=match.project_id,
            summary=f"人证比对人工确认：{match.person}，{match.get_status_display()}，理由：{reason}",
            before=before,
            after={"status": match.get_status_display(), "reason": reason},
        )
    return match


def result_message(match: FaceMatch) -> str:
    """What 采集 and the API say about a comparison just made (or found)."""
    if match.status == FaceMatchStatus.PASSED:
        return f"{match.person}：人证比对通过（相似度 {match.score_label}）。"
    if match.status == FaceMatchStatus.CONFIRMED:
        return f"{match.person}：人证比对已由本项目确认是本人。"
    return blocking_message(match)


def face_match_payload(match: FaceMatch) -> dict:
    """The API's faceMatch object."""
    fields = {
        "method": match.method,
        "score": match.score,
        "threshold": match.threshold,
        "status": match.status,
    }
    return {**fields, "message": result_message(match)}
