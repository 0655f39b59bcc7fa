"""Setting and ending a legal hold (docs/retention.md §3): supervisors only, a reason each time,
audited in the project's log (docs/architecture.md pattern 2)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from .models import LegalHold

REASON_MIN = 4
REASON_MAX = 500


def _check_supervisor(actor: Actor) -> None:
    user = actor.user
    if user is None or not (user.is_supervisor or user.is_superuser):
        raise PermissionDenied("只有监管部门可以设置或解除法律保全。")


def _reason(text: str, label: str) -> str:
    text = " ".join(str(text or "").split())  # one line in the log and the list
    if len(text) < REASON_MIN:
        raise ValidationError(f"请填写{label}（至少 {REASON_MIN} 个字），例如争议案号或投诉编号。")
    if len(text) > REASON_MAX:
        raise ValidationError(f"{label}不能超过 {REASON_MAX} 个字。")
    return text


def set_hold(actor: Actor, project, reason: str) -> LegalHold:
    """Put `project` under a legal hold: nothing of it is purged until the hold ends."""
    _check_supervisor(actor)
    reason = _reason(reason, "保全原因")
    try:
        with transaction.atomic():
            hold = LegalHold.objects.create(project=project, reason=reason, set_by=actor.user)
            audit.record(actor, "legal_hold.set", hold, project=project, summary=f"设置法律保全：{reason}")
    except IntegrityError:
        raise ValidationError("该项目已有生效中的保全，无需重复设置。") from None
    return hold


def end_hold(actor: Actor, hold: LegalHold, reason: str) -> LegalHold:
    """End a hold; from the next run on, the retention table applies to the project again."""
    _check_supervisor(actor)
    reason = _reason(reason, "解除原因")
    with transaction.atomic():
        ended = LegalHold.objects.filter(pk=hold.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason, ended_by=actor.user
        )
        if not ended:
            raise ValidationError("该保全已解除。")
        hold.refresh_from_db()
        audit.record(
            actor, "legal_hold.end", hold, project=hold.project_id, summary=f"解除法律保全：{reason}"
        )
    return hold
