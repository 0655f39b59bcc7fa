"""Checks before 提交 and 审核 (条例 art. 30, 31): each is one function over a sheet's rows, answering a
Chinese reason per line, shared by the sheet page, the `Payroll.Add` upload and the transitions.

A hard finding blocks 提交 and 审核; a soft one lets the sheet through once the approver writes a
note, which is kept on the sheet with the findings it answered and audited (wages.transitions.approve).

- `days_within_attendance` (hard): 出勤天数 ≤ the worker's days on the 项目月考勤 grid, read from the
  grid's own `MonthReport` so the sheet and the grid never count differently;
- `on_roster_and_contract`: on the team's roster in the month (hard), under a labour contract in it (soft:
  a missing contract is the employer's fault and must not stop the worker's pay);
- `amounts_add_up`: 应发 − 代扣代缴 = 实发 (hard; soft when a 补发 reason explains the difference);
- `minimum_wage` (soft): 应发 ≥ the 最低工资标准 in force on the month's last day ÷ 21.75 × 出勤天数
  (21.75 days a month: 劳社部发〔2008〕3号);
- `unit_price_matches_contract` (soft): the piece rate is the contract's 单价, and 应发 is at least
  单价 × 计件数量;
- `shared_cards` (soft): one card registered or paid to two or more of the project's workers, or the
  班组长's own card on a worker's line (冒领/代领).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Q

from attendance.reports import MonthReport, entries_in_month
from contracts.models import Contract
from jmzhgd.core.months import month_end
from jmzhgd.core.pii import EncryptedTextField
from workforce.models import PayCard, Person

from .models import MinimumWage, Payroll, PayrollRow, PayRule

HARD, SOFT = "hard", "soft"
PERSON_SECRETS = [f"person__{f.name}" for f in Person._meta.fields if isinstance(f, EncryptedTextField)]
PAY_DAYS_PER_MONTH = Decimal("21.75")


@dataclass(frozen=True)
class Finding:
    row_id: int
    person: str
    check: str
    level: str
    reason: str

    @property
    def line(self) -> str:
        return f"{self.person}：{self.reason}"

    def as_dict(self) -> dict:
        return asdict(self)


def _finding(row: PayrollRow, check: str, level: str, reason: str) -> Finding:
    return Finding(row.pk, row.person.name, check, level, reason)


def days_within_attendance(payroll: Payroll, rows: list[PayrollRow]) -> list[Finding]:
    entries = entries_in_month(payroll.project, payroll.pay_month)
    report = MonthReport(payroll.project, payroll.pay_month, entries)
    # The grid's rows for the sheet's persons as already loaded (the grid needs a stay in the month
    # for each person it is given; a person without one has no grid days).
    on_grid = set(
        entries.filter(person_id__in=[r.person_id for r in rows]).values_list("person_id", flat=True)
    )
    persons = list({row.person_id: row.person for row in rows if row.person_id in on_grid}.values())
    grid = {line.person.pk: line.days_present for line in report.rows(persons)}
    return [
        _finding(
            row,
            "days",
            HARD,
            f"出勤天数 {row.days} 天多于当月考勤表的 {grid.get(row.person_id, 0)} 天",
        )
        for row in rows
        if row.days > grid.get(row.person_id, 0)
    ]


def on_roster_and_contract(payroll: Payroll, rows: list[PayrollRow]) -> list[Finding]:
    start, end = payroll.pay_month, month_end(payroll.pay_month)
    ids = [row.person_id for row in rows]
    on_roster = set(
        entries_in_month(payroll.project, start)
        .filter(team_id=payroll.team_id, person_id__in=ids)
        .values_list("person_id", flat=True)
    )
    contracted = set(
        Contract.objects.filter(project_id=payroll.project_id, person_id__in=ids, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values_list("person_id", flat=True)
    )
    findings = []
    for row in rows:
        if row.person_id not in on_roster:
            findings.append(_finding(row, "roster", HARD, f"{start:%Y-%m} 不在本班组花名册中"))
        elif row.person_id not in contracted:
            findings.append(_finding(row, "contract", SOFT, f"{start:%Y-%m} 没有有效的劳动合同"))
    return findings


def amounts_add_up(payroll: Payroll, rows: list[PayrollRow]) -> list[Finding]:
    findings = []
    for row in rows:
        expected = row.total_amount - row.deductions
        if row.actual_amount == expected:
            continue
        reason = f"应发 {row.total_amount} − 代扣代缴 {row.deductions} = {expected}，与实发 {row.actual_amount} 不符"
        if row.difference_reason:
            findings.append(_finding(row, "amounts", SOFT, f"{reason}（原因：{row.difference_reason}）"))
        else:
            findings.append(_finding(row, "amounts", HARD, reason))
    return findings


def minimum_wage_in_force(payroll: Payroll) -> MinimumWage | None:
    return (
        MinimumWage.objects.filter(effective_from__lte=month_end(payroll.pay_month))
        .order_by("-effective_from")
        .first()
    )


def minimum_wage(payroll: Payroll, rows: list[PayrollRow]) -> list[Finding]:
    standard = minimum_wage_in_force(payroll)
    if standard is None:
        return []
    per_day = standard.monthly_amount / PAY_DAYS_PER_MONTH
    findings = []
    for row in rows:
        floor = (per_day * min(row.days, PAY_DAYS_PER_MONTH)).quantize(Decimal("0.01"))
        if row.days and row.total_amount < floor:
            findings.append(
                _finding(
                    row,
                    "minimum_wage",
                    SOFT,
                    f"应发 {row.total_amount} 元低于最低工资标准折算的 {floor} 元"
                    f"（{standard.monthly_amount} 元/月 ÷ 21.75 × {row.days} 天）",
                )
            )
    return findings


def unit_price_matches_contract(payroll: Payroll, rows: list[PayrollRow]) -> list[Finding]:
    start, end = payroll.pay_month, month_end(payroll.pay_month)
    prices: dict[int, Contract] = {}
    for contract in (
        Contract.objects.filter(
            project_id=payroll.project_id,
            person_id__in=[row.person_id for row in rows],
            start_date__lte=end,
            unit_price__isnull=False,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("start_date", "id")
    ):
        prices[contract.person_id] = contract  # the latest contract in the month wins
    findings = []
    for row in rows:
        contract = prices.get(row.person_id)
        if contract is None:
            continue
        price, unit = contract.unit_price, contract.get_measure_unit_display()
        if payroll.pay_rule == PayRule.PIECE and payroll.rate is not None and payroll.rate != price:
            reason = f"计件单价 {payroll.rate} 元与劳动合同约定的 {price} 元/{unit} 不一致"
        elif row.piece_quantity is not None and row.total_amount < (price * row.piece_quantity).quantize(
            Decimal("0.01")
        ):
            reason = (
                f"应发 {row.total_amount} 元低于合同单价 {price} 元/{unit} × 计件数量 {row.piece_quantity}"
            )
        else:
            continue
        findings.append(_finding(row, "unit_price", SOFT, reason))
    return findings


def shared_cards(payroll: Payroll, rows: list[PayrollRow]) -> list[Finding]:
    holders: dict[str, set[str]] = defaultdict(set)
    # Only the project's cards whose stored mask matches one on the sheet can be the same card:
    # the others are never decrypted (read as values, so no person's own secrets are either).
    masks = {row.bank_card_number_masked for row in rows if row.bank_card_number}
    for name, number in PayCard.objects.filter(
        project_id=payroll.project_id, bank_card_number_masked__in=masks
    ).values_list("person__name", "bank_card_number"):
        holders[number].add(name)
    for row in rows:
        if row.bank_card_number:
            holders[row.bank_card_number].add(row.person.name)
    leader = None
    digest = payroll.team.leader_id_number_digest
    if digest:
        leader = Person.objects.filter(id_number_digest=digest).first()
    leader_cards = (
        set(PayCard.objects.filter(person=leader).values_list("bank_card_number", flat=True))
        if leader
        else set()
    )
    findings = []
    for row in rows:
        card = row.bank_card_number
        if not card:
            continue
        if leader is not None and row.person_id != leader.pk and card in leader_cards:
            findings.append(
                _finding(row, "card", SOFT, f"工资卡尾号 {card[-4:]} 是班组长 {leader.name} 的工资卡")
            )
        elif len(holders[card]) > 1:
            others = "、".join(sorted(holders[card] - {row.person.name})) or "同名工人"
            findings.append(_finding(row, "card", SOFT, f"工资卡尾号 {card[-4:]} 同时登记给 {others}"))
    return findings


CHECKS = [
    days_within_attendance,
    on_roster_and_contract,
    amounts_add_up,
    minimum_wage,
    unit_price_matches_contract,
    shared_cards,
]


def run_checks(payroll: Payroll) -> list[Finding]:
    """Every check on every row of `payroll`, in row order (one reason per check per line)."""
    # The persons' encrypted fields are not read by any check: deferred, they are never decrypted.
    rows = list(payroll.rows.select_related("person").defer(*PERSON_SECRETS).order_by("id"))
    if not rows:
        return []
    order = {row.pk: index for index, row in enumerate(rows)}
    findings = [finding for check in CHECKS for finding in check(payroll, rows)]
    return sorted(findings, key=lambda f: order[f.row_id])


def hard(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == HARD]


def soft(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == SOFT]


def by_row(findings: list[Finding]) -> dict[int, list[Finding]]:
    grouped: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.row_id].append(finding)
    return grouped
