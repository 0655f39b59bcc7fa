"""异常考勤 actions (docs/architecture.md pattern 2): resolve an unmatched punch by linking it to a person on the
project's roster, or dismiss it with a reason. Both are audit-logged; neither deletes anything.

A resolved punch keeps `is_anomaly=True` (history: it arrived unmatched) with
`anomaly_status="resolved"`, and from then on counts in the daily summaries like a matched punch
(see attendance.summaries). A dismissed punch never counts.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jmzhgd.core.actor import Actor
from jmzhgd.core.audit import record
from workforce.models import RosterEntry

from .models import AnomalyStatus, Punch
from .summaries import refresh_daily_summaries

AUDITED_FIELDS = ["person", "roster_entry", "anomaly_status", "resolution_note", "resolved_by", "resolved_at"]


def open_anomalies(project) -> QuerySet[Punch]:
    return Punch.objects.filter(project=project, is_anomaly=True, anomaly_status=AnomalyStatus.OPEN)


def candidate_entries(punch: Punch) -> QuerySet[RosterEntry]:
    """Roster entries a punch may be linked to: the project's stays covering the punch's day."""
    day: datetime.date = punch.work_date
    return (
        RosterEntry.objects.filter(project_id=punch.project_id)
        .during(day, day)
        .select_related("person", "team", "unit__enterprise")
        .order_by("person__name", "id")
    )


def _locked_open(punch: Punch) -> Punch:
    locked = Punch.objects.select_for_update().get(pk=punch.pk)
    if not locked.is_anomaly or locked.anomaly_status != AnomalyStatus.OPEN:
        raise ValidationError("该异常考勤已处理，不能重复处理。")
    return locked


def _snapshot(punch: Punch) -> dict:
    return {
        "person": punch.person_id,
        "roster_entry": punch.roster_entry_id,
        "anomaly_status": punch.anomaly_status,
        "resolution_note": punch.resolution_note,
    }


def _close(
    actor: Actor, punch: Punch, status: str, note: str, action: str, summary: str, *, entry=None
) -> Punch:
    """Lock the open anomaly, set its outcome, refresh the person-days it touches, audit — one transaction."""
    with transaction.atomic():
        locked = _locked_open(punch)
        if entry is not None and not candidate_entries(locked).filter(pk=entry.pk).exists():
            raise ValidationError("所选人员在该考勤日期不在本项目花名册中，请先核对进退场日期。")
        before = _snapshot(locked)
        keys = {(locked.person_id, locked.work_date)}
        if entry is not None:
            locked.person_id = entry.person_id
            locked.roster_entry = entry
            keys.add((entry.person_id, locked.work_date))
        locked.anomaly_status = status
        locked.resolution_note = note
        locked.resolved_by = actor.user
        locked.resolved_at = timezone.now()
        locked.save(update_fields=AUDITED_FIELDS)
        refresh_daily_summaries(locked.project_id, keys)
        record(
            actor,
            action,
            locked,
            project=locked.project,
            summary=f"{summary}（{timezone.localtime(locked.punched_at):%Y-%m-%d %H:%M}）",
            before=before,
            after=_snapshot(locked),
        )
    return locked


def resolve_anomaly(actor: Actor, punch: Punch, entry: RosterEntry, note: str = "") -> Punch:
    """Link an open anomaly to a roster entry covering its day; its person-day summary then counts it."""
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError("处理说明不能超过200个字符。")
    summary = f"异常考勤关联人员：{entry.person.name}"
    return _close(actor, punch, AnomalyStatus.RESOLVED, note, "punch.resolve", summary, entry=entry)


def dismiss_anomaly(actor: Actor, punch: Punch, reason: str) -> Punch:
    """Close an open anomaly without linking it (e.g. a visitor); a reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写忽略原因。")
    if len(reason) > 200:
        raise ValidationError("忽略原因不能超过200个字符。")
    return _close(actor, punch, AnomalyStatus.DISMISSED, reason, "punch.dismiss", f"忽略异常考勤：{reason}")
