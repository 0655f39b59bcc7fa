"""诚信 actions (docs/architecture.md pattern 2; docs/credit.md §3): record, propose, confirm or reject,
end, object and answer. Each checks who acts, validates, writes and audits in one transaction.

Supervisors record and end; a project account proposes for a person on its roster or an enterprise
that is one of its units, and a supervisor confirms or rejects the proposal. The person concerned
objects through 工人自助查询, an enterprise through the account of a project it is a unit of (or a
supervisor records the objection it brought in writing); a supervisor answers, and an objection
upheld ends the record.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from .codes import LIST_KINDS, BadCategory, GoodCategory, ObjectionStatus, RecordKind, RecordStatus
from .models import CreditRecord, Objection

RECORD_FIELDS = ("kind", "category", "start_date", "end_date", "project", "issuer", "description")
SUPERVISORS_ONLY = "只有监管部门可以进行此操作。"
NOT_YOURS = "只能为本项目花名册中的人员或本项目的参建单位提出记录。"
VIA_WORKER = "本人（工人自助查询）"
VIA_PROJECT = "项目账号代企业提交"
VIA_SUPERVISOR = "监管部门代为登记"


def is_supervisor(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_superuser or user.is_supervisor))


def _require_supervisor(actor: Actor) -> None:
    if not is_supervisor(actor.user):
        raise PermissionDenied(SUPERVISORS_ONLY)


def subject_in_project(project, *, person=None, enterprise=None) -> bool:
    """The person is (or was) on the project's roster, or the enterprise is one of its units."""
    from enterprises.models import ParticipatingUnit
    from workforce.models import RosterEntry

    if person is not None:
        return RosterEntry.objects.filter(project=project, person=person).exists()
    return ParticipatingUnit.objects.filter(project=project, enterprise=enterprise).exists()


def _snapshot(record: CreditRecord) -> dict:
    return {
        "kind": record.get_kind_display(),
        "subject": record.subject_name,
        "category": record.category_label,
        "start_date": record.start_date,
        "end_date": record.end_date,
        "project": str(record.project) if record.project_id else "",
        "issuer": record.issuer,
        "description": record.description,
        "evidence": record.evidence_name,
        "status": record.get_status_display(),
    }


def _validate(record: CreditRecord) -> None:
    errors = {}
    if record.kind in LIST_KINDS:
        record.category = ""
        if record.end_date is None:
            errors["end_date"] = "名单须填写移出日期（失信联合惩戒名单一般为列入之日起3年）。"
    else:
        allowed = GoodCategory.values if record.kind == RecordKind.GOOD else BadCategory.values
        if record.category not in allowed:
            errors["category"] = f"请选择{record.get_kind_display()}的类别。"
    if record.start_date and record.start_date > timezone.localdate():
        errors["start_date"] = "发生/列入日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    record.full_clean(exclude=["person", "enterprise", "project", "proposed_by", "created_by", "evidence"])


def _audit(actor, action, record, summary, *, project=None, before=None, after=None) -> None:
    audit.record(
        actor,
        action,
        record,
        project=project or record.project_id or record.proposed_by_id,
        summary=summary,
        before=before,
        after=after,
    )


def save_new_record(
    actor: Actor, values: dict, *, person=None, enterprise=None, evidence=None, proposing_project=None
) -> CreditRecord:
    """A supervisor's record (in force at once) or, with `proposing_project`, a project's proposal
    (待确认 until a supervisor confirms it)."""
    if (person is None) == (enterprise is None):
        raise ValidationError("请选择一名人员或一家企业。")
    if proposing_project is None:
        _require_supervisor(actor)
    else:
        user = actor.user
        if not (user and user.is_project_user and user.project_id == proposing_project.pk):
            raise PermissionDenied("只有本项目账号可以提出记录。")
        if not subject_in_project(proposing_project, person=person, enterprise=enterprise):
            raise PermissionDenied(NOT_YOURS)
    with transaction.atomic():
        record = CreditRecord(person=person, enterprise=enterprise, created_by=actor.user)
        for name in RECORD_FIELDS:
            if name in values:
                setattr(record, name, values[name] if values[name] is not None or name != "category" else "")
        if proposing_project is not None:
            record.status, record.proposed_by = RecordStatus.PROPOSED, proposing_project
            record.project = record.project or proposing_project
        if evidence is not None:
            record.evidence = evidence
            record.evidence_name = getattr(evidence, "original_name", "") or evidence.name
        _validate(record)
        record.save()
        proposing = proposing_project is not None
        _audit(
            actor,
            "credit.propose" if proposing else "credit.create",
            record,
            f"{'提出' if proposing else '录入'}{record.get_kind_display()}：{record.subject_name}",
            project=proposing_project,
            after=_snapshot(record),
        )
    return record


def decide_proposal(actor: Actor, record: CreditRecord, *, confirm: bool, note: str = "") -> CreditRecord:
    """A supervisor confirms a project's proposal (it comes into force) or rejects it, with a note."""
    _require_supervisor(actor)
    note = (note or "").strip()
    if not confirm and not note:
        raise ValidationError("不采纳时请填写审核意见。")
    with transaction.atomic():
        record = CreditRecord.objects.select_for_update().get(pk=record.pk)
        if record.status != RecordStatus.PROPOSED:
            raise ValidationError(f"该记录已{record.get_status_display()}，不能重复审核。")
        record.status = RecordStatus.ACTIVE if confirm else RecordStatus.REJECTED
        record.decision_note, record.decided_at = note[:500], timezone.now()
        record.save(update_fields=["status", "decision_note", "decided_at", "updated_at"])
        _audit(
            actor,
            "credit.confirm" if confirm else "credit.reject",
            record,
            f"{'确认' if confirm else '不采纳'}项目提出的{record.get_kind_display()}：{record.subject_name}",
            after={"status": record.get_status_display(), "note": record.decision_note},
        )
    return record


def end_record(actor: Actor, record: CreditRecord, *, day: date, reason: str) -> CreditRecord:
    """提前移出 (a list) or 终止 (a record) before its end date, with the reason (e.g. wages paid:
    人社部令第45号 art. 13)."""
    _require_supervisor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写移出/终止原因。")
    if day > timezone.localdate():
        raise ValidationError("移出/终止日期不能晚于今天。")
    with transaction.atomic():
        record = CreditRecord.objects.select_for_update().get(pk=record.pk)
        if record.status != RecordStatus.ACTIVE:
            raise ValidationError(f"该记录状态为“{record.get_status_display()}”，不能移出或终止。")
        if day < record.start_date:
            raise ValidationError("移出/终止日期不能早于发生/列入日期。")
        before = {"status": record.get_status_display(), "end_date": record.end_date}
        record.status, record.ended_on, record.end_reason = RecordStatus.ENDED, day, reason[:500]
        record.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
        _audit(
            actor,
            "credit.end",
            record,
            f"{'提前移出' if record.is_list else '终止'}{record.get_kind_display()}：{record.subject_name}",
            before=before,
            after={"status": record.get_status_display(), "ended_on": day, "reason": record.end_reason},
        )
    return record


def file_objection(actor: Actor, record: CreditRecord, reason: str, *, via: str, project=None) -> Objection:
    """申诉 on a confirmed record; one open objection at a time per record."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写申诉理由。")
    if len(reason) > 1000:
        raise ValidationError("申诉理由不能超过1000字。")
    with transaction.atomic():
        record = CreditRecord.objects.select_for_update().get(pk=record.pk)
        if record.status not in (RecordStatus.ACTIVE, RecordStatus.ENDED):
            raise ValidationError("该记录尚未生效，不能申诉。")
        if record.objections.filter(status=ObjectionStatus.PENDING).exists():
            raise ValidationError("该记录已有待答复的申诉，请等待监管部门答复。")
        objection = Objection.objects.create(record=record, reason=reason, filed_via=via, filed_by=actor.user)
        _audit(
            actor,
            "credit.object",
            record,
            f"对{record.get_kind_display()}提出申诉：{record.subject_name}（{via}）",
            project=project,
            after={"reason": reason, "via": via},
        )
    return objection


def answer_objection(actor: Actor, objection: Objection, *, upheld: bool, answer: str) -> Objection:
    """A supervisor answers; an objection upheld ends the record the same day (the record stays,
    with the reason, as the law keeps it)."""
    _require_supervisor(actor)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError("请填写答复内容。")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("record").get(pk=objection.pk)
        if objection.status != ObjectionStatus.PENDING:
            raise ValidationError("该申诉已答复。")
        objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        objection.answer, objection.answered_by, objection.answered_at = (
            answer[:1000],
            actor.user,
            timezone.now(),
        )
        objection.save()
        record = objection.record
        _audit(
            actor,
            "credit.answer",
            record,
            f"答复申诉：{record.subject_name}，{objection.get_status_display()}",
            after={"status": objection.get_status_display(), "answer": objection.answer},
        )
        if upheld and record.status == RecordStatus.ACTIVE:
            end_record(actor, record, day=timezone.localdate(), reason=f"申诉成立：{objection.answer}"[:500])
    return objection
