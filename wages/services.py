"""Wage actions (保障农民工工资支付条例 art. 15, 26, 31): each validates, writes and audits in one
transaction, for the pages, the API and the demo alike (docs/architecture.md pattern 2).

- `save_wage_account`: the project's 工资专户 and 工资保证金 (art. 26).
- `generate_payroll`: 【生成工资表】 one 班组 × month from the month's attendance (art. 31).
- `update_rows` / `apply_rule`: 应发, 代扣代缴, 实发 per row or by the team's rule, while a draft.
The state machine (submit → approve → pay → confirm, and 退回) is in wages.transitions.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from attendance.reports import PersonMonth, month_tallies
from jmzhgd.core import audit, money
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import Bank, TeamType
from jmzhgd.core.months import month_end
from jmzhgd.core.validators import normalise_text
from workforce.models import PayCard, RosterEntry

from . import signing
from .banks import bank_code_for
from .models import DepositForm, Payroll, PayrollRow, PayrollStatus, PayRule, RowPayStatus, WageAccount
from .months import DEFAULT_PAY_DAY

# Amounts are parsed by core's one parser (jmzhgd.core.money): plain numbers only, 0..the
# configured plausible maximum, two decimals.
parse_amount = money.parse_amount
MAX_PIECE_QUANTITY = Decimal("999999.99")


def parse_rate(value) -> Decimal:
    """A 日薪 or 计件单价 (元), at most settings.MONEY_MAX_RATE."""
    return money.parse_decimal(value, "单价", maximum=money.max_rate())


# --- 工资专户 ----------------------------------------------------------------------------------

ACCOUNT_FIELDS = [
    "bank_code",
    "branch_name",
    "account_number",
    "opened_on",
    "deposit_amount",
    "deposit_form",
    "pay_day",
]


@transaction.atomic
def save_wage_account(actor: Actor, project, values: dict) -> WageAccount:
    """Create or change the project's 工资专户. An empty `account_number` keeps the saved one."""
    account = WageAccount.objects.select_for_update().filter(project=project).first()
    created = account is None
    account = account or WageAccount(project=project)
    before = {} if created else audit.snapshot(account, ACCOUNT_FIELDS)
    errors = {}
    if values.get("bank_code") not in Bank.values:
        errors["bank_code"] = "请选择开户银行。"
    number = normalise_text(values.get("account_number")).replace("-", "")
    if number and not (number.isdigit() and 8 <= len(number) <= 32):
        errors["account_number"] = "专户账号应为8至32位数字。"
    if not number and not account.account_number:
        errors["account_number"] = "请填写专户账号。"
    pay_day = values.get("pay_day") or DEFAULT_PAY_DAY
    if not 1 <= int(pay_day) <= 31:
        errors["pay_day"] = "工资支付日期应为每月1至31日之间的一天。"
    if values.get("deposit_form") and values["deposit_form"] not in DepositForm.values:
        errors["deposit_form"] = "保证金形式只能是现金、银行保函或担保。"
    opened_on = values.get("opened_on")
    if opened_on and opened_on > timezone.localdate():
        errors["opened_on"] = "开户日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    account.bank_code = values["bank_code"]
    account.branch_name = normalise_text(values.get("branch_name"))[:100]
    if number:
        account.account_number = number
    account.opened_on = opened_on
    account.deposit_amount = values.get("deposit_amount")
    account.deposit_form = values.get("deposit_form") or ""
    account.pay_day = int(pay_day)
    account.save()
    after = audit.snapshot(account, ACCOUNT_FIELDS)
    old, new = audit.changed(before, after)
    if new:
        audit.record(
            actor,
            "wage_account.save",
            account,
            project=project,
            summary=f"{'登记' if created else '修改'}工资专户：{account}",
            before=old,
            after=new,
        )
    return account


def pay_day_of(project) -> int:
    account = WageAccount.objects.filter(project=project).only("pay_day").first()
    return account.pay_day if account else DEFAULT_PAY_DAY


# --- 生成工资表 --------------------------------------------------------------------------------


def team_month_attendance(team, start: datetime.date) -> dict[int, PersonMonth]:
    """Per person on `team` during the month starting `start`: the latest stay, 出勤天数 and 总工时,
    by the 项目月考勤 grid's own function (attendance.reports.month_tallies): a day counts when its
    daily summary is present and falls inside one of the person's stays on this team; a worker who
    left the team mid-month is counted for his days on it."""
    stays = RosterEntry.objects.filter(team=team).during(start, month_end(start))
    return month_tallies(stays, team.project_id, start)


def check_month(team, start: datetime.date | None, today: datetime.date | None = None) -> None:
    """The month of a new sheet: a real month, not in the future, not before the team's entry."""
    today = today or timezone.localdate()
    if start is None:
        raise ValidationError({"pay_month": "工资月份格式应为 YYYY-MM。"})
    if start > today.replace(day=1):
        raise ValidationError({"pay_month": "不能生成未来月份的工资支付表。"})
    if month_end(start) < team.entry_date:
        raise ValidationError(
            {
                "pay_month": f"班组 {team.name} 于 {team.entry_date:%Y-%m-%d} 进场，不能生成进场之前月份的工资支付表。"
            }
        )


@transaction.atomic
def generate_payroll(
    actor: Actor,
    team,
    start: datetime.date | None,
    *,
    pay_rule: str = PayRule.MANUAL,
    rate: Decimal | None = None,
    third_payroll_code: str = "",
) -> Payroll:
    """【生成工资表】: one row per worker on `team` in the month, with days and hours from attendance."""
    if team.team_type == TeamType.MANAGEMENT:
        raise ValidationError({"team": "管理人员班组不编制农民工工资支付表，请选择建筑工人班组。"})
    check_month(team, start)
    if Payroll.objects.filter(team=team, pay_month=start).exists():
        raise ValidationError(
            {"pay_month": f"班组 {team.name} {start:%Y-%m} 的工资支付表已存在，不能重复生成。"}
        )
    if pay_rule not in PayRule.values:
        raise ValidationError({"pay_rule": "请选择计算方式。"})
    if pay_rule != PayRule.MANUAL and rate is None:
        raise ValidationError({"rate": "按日薪或计件计算时须填写单价。"})
    if rate is not None:
        rate = parse_rate(rate)
    totals = team_month_attendance(team, start)
    if not totals:
        raise ValidationError({"pay_month": f"班组 {team.name} 在 {start:%Y-%m} 没有在册人员。"})
    if pay_rule == PayRule.DAILY and any(rate * t.days > money.max_wage() for t in totals.values()):
        raise ValidationError({"rate": f"按该日薪计算，应发金额超过 {money.max_wage():,} 元，请核对单价。"})
    payroll = Payroll(
        project_id=team.project_id,
        unit_id=team.unit_id,
        team=team,
        pay_month=start,
        pay_rule=pay_rule,
        rate=rate,
        third_payroll_code=third_payroll_code,
        created_by=actor.user,
    )
    try:
        with transaction.atomic():
            payroll.save()
    except IntegrityError:  # a second request for the same team and month won the race
        raise ValidationError({"pay_month": "该班组本月已有工资支付表，不能重复生成。"}) from None
    # The card this project pays each worker into; never another project's (docs/architecture.md pattern 11).
    cards = {
        card.person_id: card
        for card in PayCard.objects.filter(
            project_id=team.project_id, person_id__in=[t.entry.person_id for t in totals.values()]
        )
    }
    rows = []
    for item in sorted(totals.values(), key=lambda t: (t.entry.person.name, t.entry.person_id)):
        person = item.entry.person
        card = cards.get(person.pk)
        total = (rate * item.days).quantize(Decimal("0.01")) if pay_rule == PayRule.DAILY else Decimal(0)
        rows.append(
            PayrollRow(
                payroll=payroll,
                person=person,
                roster_entry=item.entry,
                days=item.days,
                work_hours=item.hours,
                total_amount=total,
                actual_amount=total,
                bank_code=bank_code_for(card.bank_name) if card else "",
                bank_name=card.bank_name if card else "",
                bank_card_number=card.bank_card_number if card else "",
            )
        )
    PayrollRow.objects.bulk_create(rows, batch_size=500)
    audit.record(
        actor,
        "payroll.generate",
        payroll,
        project=payroll.project_id,
        summary=f"生成工资支付表：{team.name} {start:%Y-%m}（{len(rows)} 人）",
        after={"pay_month": f"{start:%Y-%m}", "rows": len(rows), "pay_rule": pay_rule, "rate": rate},
    )
    return payroll


@transaction.atomic
def fill_missing_cards(actor: Actor, payroll: Payroll) -> int:
    """Rows still to be paid that have no card take the card the project has registered for the
    worker since the sheet was drawn up (a leaver's card entered afterwards, for one). A row's card,
    once set, stays what the sheet was approved with. Audited per row; returns how many were filled."""
    rows = list(
        payroll.rows.select_related("person")
        .filter(bank_card_number_masked="")
        .exclude(pay_status=RowPayStatus.PAID)
    )
    cards = {
        card.person_id: card
        for card in PayCard.objects.filter(
            project_id=payroll.project_id, person_id__in=[r.person_id for r in rows]
        )
    }
    filled = []
    for row in rows:
        card = cards.get(row.person_id)
        if card is None:
            continue
        row.bank_code, row.bank_name = bank_code_for(card.bank_name), card.bank_name
        row.bank_card_number = card.bank_card_number
        row.save(update_fields=["bank_code", "bank_name", "bank_card_number", "bank_card_number_masked"])
        filled.append(row)
    signing.void_changed(actor, filled)
    audit.record_many(
        [
            audit.build(
                actor,
                "payroll.row_card",
                payroll,
                project=payroll.project_id,
                summary=f"工资表补录工资卡：{row.person.name}，卡号尾号 {row.bank_card_number[-4:]}",
            )
            for row in filled
        ]
    )
    return len(filled)


# --- 行编辑 ------------------------------------------------------------------------------------


def require_draft(payroll: Payroll) -> None:
    if payroll.status != PayrollStatus.DRAFT:
        raise ValidationError(
            f"工资支付表{payroll.get_status_display()}，不能修改；需修改请先退回并填写原因。"
        )


def _row_values(row: PayrollRow, data: dict) -> dict:
    """A row's new amounts from `data` (strings as typed), checked; ValidationError otherwise."""
    total = parse_amount(data.get("total_amount", row.total_amount), "应发金额")
    deductions = parse_amount(data.get("deductions", row.deductions) or "0", "代扣代缴")
    actual_typed = data.get("actual_amount")
    actual = parse_amount(actual_typed, "实发金额", required=False)
    if actual is None:
        actual = total - deductions
    if actual < 0:
        raise ValidationError("代扣代缴不能大于应发金额。")
    reason = str(data.get("difference_reason", row.difference_reason) or "").strip()[:200]
    if actual > total and not reason:
        raise ValidationError("实发金额大于应发金额时，须填写原因（如补发）。")
    quantity = money.parse_decimal(
        data.get("piece_quantity", row.piece_quantity) or "",
        "计件数量",
        maximum=MAX_PIECE_QUANTITY,
        required=False,
        unit="",
    )
    return {
        "total_amount": total,
        "deductions": deductions,
        "actual_amount": actual,
        "difference_reason": reason if actual > total else "",
        "piece_quantity": quantity,
        "is_back_pay": actual > total and bool(data.get("is_back_pay", row.is_back_pay)),
    }


ROW_FIELDS = [
    "total_amount",
    "deductions",
    "actual_amount",
    "difference_reason",
    "piece_quantity",
    "is_back_pay",
]


@transaction.atomic
def update_rows(actor: Actor, payroll: Payroll, data: dict[int, dict]) -> int:
    """Save the amounts typed on a draft: every row is checked first, and one bad row writes nothing.
    `data` maps row id → {field: text}. Returns how many rows changed."""
    payroll = Payroll.objects.select_for_update().get(pk=payroll.pk)
    require_draft(payroll)
    rows = {row.pk: row for row in payroll.rows.select_related("person")}
    errors, changes = [], []
    for number, row in enumerate(rows.values(), start=1):
        if row.pk not in data:
            continue
        try:
            values = _row_values(row, data[row.pk])
        except ValidationError as exc:
            errors.append(f"第{number}行 {row.person.name}：{'；'.join(exc.messages)}")
            continue
        before = audit.snapshot(row, ROW_FIELDS)
        for key, value in values.items():
            setattr(row, key, value)
        old, new = audit.changed(before, audit.snapshot(row, ROW_FIELDS))
        if new:
            changes.append((row, old, new))
    unknown = set(data) - set(rows)
    if unknown:
        errors.append("提交的明细行不属于本工资支付表。")
    if errors:
        raise ValidationError(errors)
    PayrollRow.objects.bulk_update([row for row, _, _ in changes], ROW_FIELDS)
    signing.void_changed(actor, [row for row, _, _ in changes])
    audit.record_many(
        [
            audit.build(
                actor,
                "payroll.row_update",
                payroll,
                project=payroll.project_id,
                summary=f"修改工资明细：{row.person.name}",
                before=old,
                after=new,
            )
            for row, old, new in changes
        ]
    )
    return len(changes)


@transaction.atomic
def apply_rule(actor: Actor, payroll: Payroll, pay_rule: str, rate) -> Payroll:
    """Fill 应发 for every row by the team's rule: 日薪 × 出勤天数, or 计件单价 × 计件数量."""
    payroll = Payroll.objects.select_for_update().get(pk=payroll.pk)
    require_draft(payroll)
    if pay_rule not in (PayRule.DAILY, PayRule.PIECE):
        raise ValidationError("请选择按日薪或计件计算。")
    rate = parse_rate(rate)
    rows = list(payroll.rows.select_related("person"))
    if pay_rule == PayRule.PIECE:
        missing = [row.person.name for row in rows if row.piece_quantity is None]
        if missing:
            raise ValidationError(f"以下人员尚未填写计件数量：{'、'.join(missing[:10])}")
    too_much = [
        row.person.name
        for row in rows
        if rate * (row.days if pay_rule == PayRule.DAILY else row.piece_quantity) > money.max_wage()
    ]
    if too_much:
        raise ValidationError(
            f"按该单价计算，{'、'.join(too_much[:10])} 的应发金额超过 {money.max_wage():,} 元，请核对单价。"
        )
    for row in rows:
        base = row.days if pay_rule == PayRule.DAILY else row.piece_quantity
        row.total_amount = (rate * base).quantize(Decimal("0.01"))
        row.actual_amount = max(row.total_amount - row.deductions, Decimal("0.00"))
        row.difference_reason, row.is_back_pay = "", False
    PayrollRow.objects.bulk_update(
        rows, ["total_amount", "actual_amount", "difference_reason", "is_back_pay"]
    )
    signing.void_changed(actor, rows)
    before = {"pay_rule": payroll.pay_rule, "rate": payroll.rate}
    payroll.pay_rule, payroll.rate = pay_rule, rate
    payroll.save(update_fields=["pay_rule", "rate", "updated_at"])
    audit.record(
        actor,
        "payroll.apply_rule",
        payroll,
        project=payroll.project_id,
        summary=f"按{payroll.get_pay_rule_display()}计算应发：单价 {rate} 元",
        before=before,
        after={"pay_rule": pay_rule, "rate": rate},
    )
    return payroll
