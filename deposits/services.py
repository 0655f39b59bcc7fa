"""The register's actions (docs/architecture.md pattern 2): record or edit a deposit, and its events
动用, 补足 and 返还. Each validates, writes and audits in one transaction; a refusal is a
ValidationError in Chinese and writes nothing. Only supervisors call them (the views check)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.money import max_deposit
from jmzhgd.core.validators import validate_credit_code

from .models import Deposit, DepositEvent, DepositForm, DepositStatus, EventKind

DEPOSIT_FIELDS = (
    "contractor_code",
    "contractor_name",
    "district",
    "form",
    "bank_code",
    "branch_name",
    "amount",
    "contract_sum",
    "deposited_on",
    "guarantee_valid_until",
    "note",
)
ZERO = Decimal("0")


def _snapshot(deposit: Deposit) -> dict:
    values = {name: getattr(deposit, name) for name in DEPOSIT_FIELDS}
    values.update(balance=deposit.balance, status=deposit.status)
    return {k: (str(v) if isinstance(v, Decimal | datetime.date) else v) for k, v in values.items()}


def _check_deposit(values: dict, today: datetime.date) -> dict:
    errors: dict[str, str] = {}
    try:
        values["contractor_code"] = validate_credit_code(values.get("contractor_code"))
    except ValidationError as exc:
        errors["contractor_code"] = exc.messages[0]
    amount = values.get("amount")
    if amount is None or amount <= ZERO:
        errors["amount"] = "保证金金额必须大于 0。"
    elif amount > max_deposit():
        errors["amount"] = f"保证金金额不能超过 {max_deposit():,} 元。"
    contract_sum = values.get("contract_sum")
    if contract_sum is not None and contract_sum <= ZERO:
        errors["contract_sum"] = "施工合同额必须大于 0（不清楚可留空）。"
    deposited_on = values.get("deposited_on")
    if deposited_on and deposited_on > today:
        errors["deposited_on"] = "存入日期不能晚于今天。"
    until = values.get("guarantee_valid_until")
    if values.get("form") == DepositForm.BANK_GUARANTEE:
        if not until:
            errors["guarantee_valid_until"] = "银行保函须填写有效期。"
        elif deposited_on and until < deposited_on:
            errors["guarantee_valid_until"] = "保函有效期不能早于开立（存入）日期。"
    elif until:
        values["guarantee_valid_until"] = None  # cash has no term
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def save_deposit(actor: Actor, deposit: Deposit | None, values: dict, document=None) -> Deposit:
    """Record a 总包's deposit in a 区县 (deposit None) or correct one. Correcting the amount moves the
    balance by the same difference, which may not go below zero."""
    today = timezone.localdate()
    values = _check_deposit(dict(values), today)
    created = deposit is None
    if created:
        deposit = Deposit(status=DepositStatus.ACTIVE)
        before = None
    else:
        deposit = Deposit.objects.select_for_update().get(pk=deposit.pk)
        if deposit.status == DepositStatus.RETURNED:
            raise ValidationError("已返还的保证金不能再修改。")
        before = _snapshot(deposit)
    held = Deposit.objects.held().filter(
        contractor_code=values["contractor_code"], district=values["district"]
    )
    if not created:
        held = held.exclude(pk=deposit.pk)
    if held.exists():
        raise ValidationError(
            {"contractor_code": "该总承包单位在本区县已有在存的工资保证金，请在原记录上修改。"}
        )
    balance = values["amount"] if created else deposit.balance + values["amount"] - deposit.amount
    if balance < ZERO:
        raise ValidationError(
            {"amount": f"已动用 {deposit.amount - deposit.balance} 元，金额不能低于已动用部分。"}
        )
    for name in DEPOSIT_FIELDS:
        setattr(deposit, name, values.get(name) if values.get(name) is not None else _blank(name))
    deposit.balance = balance
    if document is not None:
        deposit.document_name = getattr(document, "original_name", document.name)[:255]
        deposit.document.save(document.name, document, save=False)
    deposit.save()
    audit.record(
        actor,
        "deposit.create" if created else "deposit.update",
        deposit,
        summary=f"{'登记' if created else '修改'}工资保证金：{deposit.contractor_name} {deposit.amount} 元",
        before=before,
        after=_snapshot(deposit),
    )
    return deposit


def _blank(name: str):
    return None if name in ("contract_sum", "guarantee_valid_until") else ""


EVENT_ACTIONS = {
    EventKind.USED: "deposit.use",
    EventKind.RESTORED: "deposit.restore",
    EventKind.RETURNED: "deposit.return",
}


@transaction.atomic
def record_event(
    actor: Actor,
    deposit: Deposit,
    kind: str,
    *,
    happened_on: datetime.date,
    amount: Decimal | None,
    reason: str,
    document=None,
) -> DepositEvent:
    """动用 (paid to workers: lowers the balance), 补足 (restores it, up to the amount) or 返还 (the whole
    balance goes back and the deposit leaves the register's held ones)."""
    deposit = Deposit.objects.select_for_update().get(pk=deposit.pk)
    before = _snapshot(deposit)
    if deposit.status == DepositStatus.RETURNED:
        raise ValidationError("该保证金已返还，不能再登记事项。")
    if kind not in EventKind.values:
        raise ValidationError({"kind": "请选择事项：动用、补足或返还。"})
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": "发生日期不能晚于今天。"})
    if happened_on < deposit.deposited_on:
        raise ValidationError({"happened_on": "发生日期不能早于存入日期。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写事由（如支付通知书文号、返还依据）。"})
    if kind == EventKind.RETURNED:
        amount = deposit.balance  # the whole balance goes back
    elif amount is None or amount <= ZERO:
        raise ValidationError({"amount": "金额必须大于 0。"})
    if kind == EventKind.USED:
        if amount > deposit.balance:
            raise ValidationError({"amount": f"动用金额不能超过当前余额 {deposit.balance} 元。"})
        deposit.balance -= amount
        deposit.status = DepositStatus.USED
        deposit.used_on = deposit.used_on or happened_on
    elif kind == EventKind.RESTORED:
        shortfall = deposit.amount - deposit.balance
        if shortfall <= ZERO:
            raise ValidationError({"amount": "保证金没有待补足的金额。"})
        if amount > shortfall:
            raise ValidationError({"amount": f"补足金额不能超过待补足的 {shortfall} 元。"})
        deposit.balance += amount
        if deposit.balance == deposit.amount:
            deposit.status, deposit.used_on = DepositStatus.ACTIVE, None
    else:
        deposit.balance = ZERO
        deposit.status, deposit.used_on = DepositStatus.RETURNED, None
    deposit.save()
    action = EVENT_ACTIONS[kind]
    event = DepositEvent(
        deposit=deposit,
        kind=kind,
        happened_on=happened_on,
        amount=amount,
        balance_after=deposit.balance,
        reason=reason.strip()[:500],
        created_by=actor.user,
    )
    if document is not None:
        event.document_name = getattr(document, "original_name", document.name)[:255]
        event.document.save(document.name, document, save=False)
    event.save()
    audit.record(
        actor,
        action,
        deposit,
        summary=f"工资保证金{event.get_kind_display()}：{deposit.contractor_name} {amount} 元（{reason.strip()[:100]}）",
        before=before,
        after=_snapshot(deposit),
    )
    return event
