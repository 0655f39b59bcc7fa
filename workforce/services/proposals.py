"""Proposed changes to a person (docs/architecture.md pattern 10; workforce.person_rights).

A project that may not change a person's identity still says what it saw: the differences are kept
as a PersonChangeProposal, audited in the proposing project and wherever he is on site. The project
that holds him, or a supervisor, accepts (the values are applied and audited as any change) or
rejects it; the decision is audited in the deciding project and in the proposing one.
"""

from __future__ import annotations

import datetime
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.pii import mask_phone

from ..models import Person, PersonChangeProposal, ProposalStatus
from ..person_rights import Holding, field_labels, holding_of, may_decide
from .person_update import record_person_update

FILE_FIELDS = ("photo", "id_front_image", "id_back_image")
DATE_FIELDS = ("birth_date", "id_valid_from", "id_valid_to")
PHONE_FIELDS = ("phone", "urgent_contact_phone")
NOT_YOURS = "此修改申请只能由此人所在项目或监管部门处理。"
DECIDED = "此修改申请已处理。"


def _jsonable(values: dict) -> dict:
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in values.items()
        if key not in FILE_FIELDS
    }


def proposed_values(proposal: PersonChangeProposal) -> dict:
    """The proposed values as Person field values (dates parsed; images excluded)."""
    values = json.loads(proposal.changes or "{}")
    for key in DATE_FIELDS:
        if values.get(key):
            values[key] = datetime.date.fromisoformat(values[key])
    return values


def proposal_lines(
    proposal: PersonChangeProposal, *, with_current: bool = True
) -> list[tuple[str, str, str]]:
    """(field label, stored value, proposed value) for the decision page; phones masked. Without
    `with_current` (the proposing project's view) the stored value is not shown: the proposer may
    not employ him, and the page must not tell it his stored name or address."""
    person = proposal.person
    lines = []
    for key, value in proposed_values(proposal).items():
        field = Person._meta.get_field(key)
        current = getattr(person, key)
        if key in PHONE_FIELDS:
            current, value = mask_phone(current), mask_phone(value)
        elif field.choices:
            labels = dict(field.choices)
            current, value = labels.get(current, current), labels.get(value, value)
        elif isinstance(value, bool):
            current, value = ("是" if current else "否"), ("是" if value else "否")
        shown = str(current or "—") if with_current else ""
        if with_current and current == value:
            shown += "（一致）"
        lines.append((str(field.verbose_name), shown, str(value or "—")))
    for key in FILE_FIELDS:
        if getattr(proposal, key):
            lines.append((str(Person._meta.get_field(key).verbose_name), "", "新照片"))
    return lines


def propose_change(
    actor: Actor, person: Person, project, values: dict, *, source: str, holding: Holding | None = None
) -> PersonChangeProposal:
    """Keep `values` (Person fields `project` may not change) as a pending proposal."""
    holding = holding or holding_of(person)
    changes = json.dumps(_jsonable(values), ensure_ascii=False, sort_keys=True)
    if not any(values.get(key) for key in FILE_FIELDS):
        # The same difference sent again (a client's retry, a second visit) is the same proposal.
        for pending in PersonChangeProposal.objects.filter(
            person=person,
            project=project,
            status=ProposalStatus.PENDING,
            photo="",
            id_front_image="",
            id_back_image="",
        ):
            if pending.changes == changes:
                return pending
    proposal = PersonChangeProposal(
        person=person, project=project, proposed_by=actor.user, source=source, changes=changes
    )
    for key in FILE_FIELDS:
        if values.get(key):
            getattr(proposal, key).save(values[key].name, values[key], save=False)
    proposal.save()
    summary = f"提交人员信息修改申请：{person}（{field_labels(values)}）"
    audit.record_many(
        [
            audit.build(actor, "person.propose", proposal, project=project_id, summary=summary)
            for project_id in dict.fromkeys([project.pk, *holding.on_site, holding.holder])
            if project_id is not None
        ]
    )
    return proposal


@transaction.atomic
def decide_proposal(
    actor: Actor, proposal: PersonChangeProposal, *, accept: bool, project=None, reason: str = ""
) -> PersonChangeProposal:
    """Accept or reject `proposal` as `project` (None: a supervisor, checked by the caller)."""
    proposal = PersonChangeProposal.objects.select_for_update().select_related("person").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError(DECIDED)
    person = Person.objects.select_for_update().get(pk=proposal.person_id)
    holding = holding_of(person)
    if not may_decide(holding, project):
        raise ValidationError(NOT_YOURS)
    reason = " ".join(str(reason or "").split())[:200]
    if accept:
        before = audit.snapshot(person)
        for key, value in proposed_values(proposal).items():
            setattr(person, key, value)
        for key in FILE_FIELDS:
            upload = getattr(proposal, key)
            if upload:
                with upload.open("rb") as handle:
                    getattr(person, key).save(upload.name.rsplit("/", 1)[-1], handle, save=False)
        record_person_update(
            actor, person, before, project=project, on_site=holding.on_site, also=[proposal.project_id]
        )
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REJECTED
    proposal.decided_by, proposal.decided_project = actor.user, project
    proposal.decided_at, proposal.reason = timezone.now(), reason
    proposal.save()
    verb = "采纳" if accept else "驳回"
    who = "监管部门" if project is None else "所在项目"
    summary = f"{who}{verb}人员信息修改申请：{person}（{field_labels(proposed_values(proposal))}）"
    if reason:
        summary += f"，说明：{reason}"
    audit.record_many(
        [
            audit.build(
                actor,
                "person.proposal_accept" if accept else "person.proposal_reject",
                proposal,
                project=pid,
                summary=summary,
            )
            for pid in dict.fromkeys([project.pk if project else None, proposal.project_id, holding.holder])
            if pid is not None
        ]
    )
    return proposal
