"""Signing a wage line on the phone: who is signing (wages.signing stores what he signs).

Identity is 姓名 + 身份证号 (as the self-service lookup: one indexed lookup by digest, the name compared
in constant time, the same neutral answer whether or not anyone matched, rate-limited per IP by
settings.RATE_LIMITS and per ID number by `check_id_number_rate`) and then a one-time code sent to
the phone on his record (jmzhgd.sms). Only a person with a line on this very sheet is sent a code;
the code is bound to the sheet (its purpose names it), so a code or a session from another sheet's
link signs nothing here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.pii import id_digest, mask_id
from jmzhgd.sms import codes
from wages.models import Payroll, PayrollRow
from wages.signing import SIGNABLE

from .matching import same_secret
from .services import check_id_number_rate

SENT = "如姓名和身份证号与本工资表一致，验证码已发送至您登记的手机，5分钟内有效。"
NO_NAME = "\u0000" * 4


def payroll_for(token: str) -> Payroll | None:
    if not token or len(token) > 43:
        return None
    return (
        Payroll.objects.filter(sign_token=token, status__in=SIGNABLE)
        .select_related("project", "team")
        .first()
    )


def purpose_of(payroll: Payroll) -> str:
    return f"wage-sign:{payroll.pk}"


def find_row(payroll: Payroll, name: str, id_number: str) -> PayrollRow | None:
    """His line on this sheet, or None; the name is compared in constant time either way."""
    row = (
        PayrollRow.objects.filter(payroll=payroll, person__id_number_digest=id_digest(id_number))
        .select_related("person")
        .first()
    )
    matched = same_secret(name, row.person.name if row else NO_NAME) and row is not None
    return row if matched else None


def request_code(actor: Actor, payroll: Payroll, name: str, id_number: str) -> PayrollRow | None:
    """Send a code to the phone on record of the worker named, if he has a line here. The caller
    answers SENT in every case; the row (or None) is kept in the session for the code step."""
    check_id_number_rate(id_digest(id_number), actor.ip or "")
    row = find_row(payroll, name, id_number)
    audit.record(
        actor,
        "payroll.sign_identity",
        payroll,
        project=payroll.project_id,
        summary=f"工资签名身份核验：{mask_id(id_number)}，{'信息一致' if row else '未匹配'}",
    )
    if row is None or not row.person.phone:
        return None
    send_quietly(row.person, purpose_of(payroll), actor.ip)
    return row


def send_quietly(person, purpose: str, ip: str | None) -> None:
    """Send the code; a refusal is answered like every other case (it would tell a stranger the name
    and ID are right), and a code sent a moment ago stays valid, so he is still the one to verify."""
    try:
        codes.send_code(person.phone, purpose, ip)
    except ValidationError:
        pass


# Labour contracts (docs/signatures.md §5): the same identity, for a worker who has a contract at all.
CONTRACT_PURPOSE = "contract-sign"
CONTRACT_SENT = "如姓名和身份证号与劳动合同一致，验证码已发送至您登记的手机，5分钟内有效。"


def find_contract_person(name: str, id_number: str):
    """The person with this ID number and at least one contract, or None; name compared in constant time."""
    from contracts.models import Contract
    from workforce.models import Person

    person = Person.objects.filter(id_number_digest=id_digest(id_number)).first()
    has_contract = person is not None and Contract.objects.filter(person=person).exists()
    matched = same_secret(name, person.name if person else NO_NAME) and has_contract
    return person if matched else None


def request_contract_code(actor: Actor, name: str, id_number: str):
    """As `request_code`, for signing and downloading one's own labour contracts."""
    check_id_number_rate(id_digest(id_number), actor.ip or "")
    person = find_contract_person(name, id_number)
    audit.record(
        actor,
        "contract.sign_identity",
        person,
        summary=f"合同签署身份核验：{mask_id(id_number)}，{'信息一致' if person else '未匹配'}",
    )
    if person is None or not person.phone:
        return None
    send_quietly(person, CONTRACT_PURPOSE, actor.ip)
    return person


def verify_contract_person(person_id: int | None, code: str):
    """(person, verification) for the pending worker's code; the same refusal whatever went wrong."""
    from workforce.models import Person

    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None:
        raise ValidationError("验证码不正确。")
    return person, codes.verify_code(person.phone, CONTRACT_PURPOSE, code)


def verify(payroll: Payroll, row_id: int | None, code: str):
    """The verification record for the pending worker's code; ValidationError otherwise (the same
    message whether no code was sent or the code is wrong)."""
    row = PayrollRow.objects.filter(pk=row_id, payroll=payroll).select_related("person").first()
    if row is None:
        raise ValidationError("验证码不正确。")
    return row, codes.verify_code(row.person.phone, purpose_of(payroll), code)
