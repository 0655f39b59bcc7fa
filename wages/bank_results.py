"""Import of the bank's 代发 result (xlsx: 卡号, 金额, 状态[, 原因]) into an approved sheet.

docs/architecture.md pattern 4: every line is checked first (its card on the sheet, the amount the sheet pays,
a status the bank uses); one bad line writes nothing and the user sees every problem as 第N行 列名:
原因. A good file marks each row 发放成功 or 发放失败; when every row with money is paid the sheet
becomes 已发放 (balanceDate today), and a failed row keeps it from 已发放 (条例 art. 31: paid in full).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.money import parse_amount
from jmzhgd.core.validators import normalise_text
from jmzhgd.core.xlsx_read import read_rows, read_upload

from . import transitions
from .models import Payroll, PayrollRow, RowPayStatus

COL_CARD, COL_AMOUNT, COL_STATUS, COL_REASON = "卡号", "金额", "状态", "原因"
SUCCESS = {"成功", "已成功", "交易成功", "SUCCESS", "S", "0000"}
FAILURE = {"失败", "交易失败", "FAIL", "FAILED", "F"}
MAX_LINES = 5000
READ_COLUMNS = 16  # the four columns, wherever the bank put them among a few of its own


@dataclass
class BankResult:
    paid: int
    failed: int
    sheet_paid: bool


def _lines(data: bytes) -> list[tuple[int, dict]]:
    """The file's data rows by header title, read by core's bounded reader (the same limits and
    messages as 批量人员进场)."""
    rows = read_rows(
        data, columns=READ_COLUMNS, max_rows=MAX_LINES, too_many=f"每个文件最多 {MAX_LINES} 行。"
    )
    if not rows:
        raise ValidationError("文件中没有数据行。")
    number, values = rows[0]
    header = [normalise_text(v) for v in values]
    missing = [c for c in (COL_CARD, COL_AMOUNT, COL_STATUS) if c not in header]
    if missing:
        raise ValidationError(f"第{number}行应为表头，缺少列：{'、'.join(missing)}。")
    return [(number, dict(zip(header, values, strict=True))) for number, values in rows[1:]]


def _card(value) -> str:
    if isinstance(value, float):  # Excel turned the card into a number: its last digits are lost
        return ""
    return normalise_text(value)


@transaction.atomic
def import_bank_result(actor: Actor, payroll: Payroll, upload) -> BankResult:
    payroll = Payroll.objects.select_for_update().get(pk=payroll.pk)
    if not payroll.awaits_bank_result:
        raise ValidationError(
            f"工资支付表当前为“{payroll.get_status_display()}”，审核后、发放前才能导入银行代发结果。"
        )
    lines = _lines(read_upload(upload))
    if not lines:
        raise ValidationError("文件中没有数据行。")
    rows = {
        row.bank_card_number: row for row in payroll.rows.select_related("person") if row.bank_card_number
    }
    errors, updates, seen = [], {}, set()
    for number, values in lines:
        card = _card(values.get(COL_CARD))
        row = rows.get(card)
        if row is None:
            errors.append(
                f"第{number}行 {COL_CARD}：不是本工资支付表中任何人员的工资卡号（或被Excel转成了数字）。"
            )
            continue
        if card in seen:
            errors.append(f"第{number}行 {COL_CARD}：该卡号在文件中重复出现。")
            continue
        seen.add(card)
        try:
            amount = parse_amount(values.get(COL_AMOUNT), COL_AMOUNT)
        except ValidationError as exc:
            errors.append(f"第{number}行 {COL_AMOUNT}：{exc.messages[0]}")
            continue
        if amount != row.actual_amount:
            errors.append(
                f"第{number}行 {COL_AMOUNT}：{row.person.name} 的实发金额为 {row.actual_amount}，文件中为 {amount}。"
            )
            continue
        status = normalise_text(values.get(COL_STATUS)).upper()
        if status not in SUCCESS | FAILURE:
            errors.append(f"第{number}行 {COL_STATUS}：只能是“成功”或“失败”。")
            continue
        reason = normalise_text(values.get(COL_REASON))[:200]
        updates[row.pk] = (row, RowPayStatus.PAID if status in SUCCESS else RowPayStatus.FAILED, reason)
    if errors:
        raise ValidationError(errors)
    for row, status, reason in updates.values():
        row.pay_status, row.pay_note = status, reason if status == RowPayStatus.FAILED else ""
    PayrollRow.objects.bulk_update([u[0] for u in updates.values()], ["pay_status", "pay_note"])
    paid = sum(1 for _, s, _ in updates.values() if s == RowPayStatus.PAID)
    failed = len(updates) - paid
    audit.record(
        actor,
        "payroll.bank_result",
        payroll,
        project=payroll.project_id,
        summary=f"导入银行代发结果：成功 {paid} 人，失败 {failed} 人",
        after={"paid": paid, "failed": failed},
    )
    outstanding = payroll.rows.filter(actual_amount__gt=0).exclude(pay_status=RowPayStatus.PAID).exists()
    if not outstanding:
        transitions.mark_paid(actor, payroll, balance_date=timezone.localdate())
    return BankResult(paid=paid, failed=failed, sheet_paid=not outstanding)
