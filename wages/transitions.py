"""The 工资支付表's states (条例 art. 30, 31): the subcontractor draws up and submits, the general
contractor approves and pays through the 工资专户, the worker signs.

    草稿 ─提交→ 已提交 ─审核→ 已审核 ─发放→ 已发放 ─确认→ 已确认
      ↑________退回(原因)_______|________|

提交 and 审核 run the sheet's checks (wages.checks): a hard finding refuses both; soft findings let
审核 through only with the approver's note, kept on the sheet with the findings it answered.

Every transition is one action: it locks the sheet, checks the state it starts from, writes and audits.
A transition from any other state is refused with the sheet's state named; nothing is written.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.uploads import clean_image_or_pdf

from . import checks, signing
from .models import Payroll, PayrollStatus, RowPayStatus

S = PayrollStatus

# The states each transition starts from.
ALLOWED = {
    "submit": {S.DRAFT},
    "approve": {S.SUBMITTED},
    "return": {S.SUBMITTED, S.APPROVED},
    "pay": {S.APPROVED},
    "confirm": {S.PAID},
}
LABELS = {"submit": "提交", "approve": "审核", "return": "退回", "pay": "发放", "confirm": "确认"}


def allowed_actions(payroll: Payroll) -> list[str]:
    return [name for name, states in ALLOWED.items() if payroll.status in states]


def _start(payroll: Payroll, name: str) -> Payroll:
    payroll = Payroll.objects.select_for_update().get(pk=payroll.pk)
    if payroll.status not in ALLOWED[name]:
        raise ValidationError(f"工资支付表当前为“{payroll.get_status_display()}”，不能{LABELS[name]}。")
    return payroll


def _move(actor: Actor, payroll: Payroll, name: str, status: str, *, summary: str = "", **changes) -> Payroll:
    before = payroll.status
    payroll.status = status
    for key, value in changes.items():
        setattr(payroll, key, value)
    payroll.save()
    audit.record(
        actor,
        f"payroll.{name}",
        payroll,
        project=payroll.project_id,
        summary=summary or f"{LABELS[name]}工资支付表：{payroll}",
        before={"status": before},
        after={
            "status": status,
            **{
                k: v
                for k, v in changes.items()
                if k in ("return_reason", "balance_date", "check_note", "check_findings")
            },
        },
    )
    return payroll


@transaction.atomic
def submit(actor: Actor, payroll: Payroll) -> Payroll:
    payroll = _start(payroll, "submit")
    if not payroll.rows.filter(actual_amount__gt=0).exists():
        raise ValidationError("工资支付表没有实发金额，请先填写金额再提交。")
    refuse_hard_findings(checks.run_checks(payroll), "提交")
    return _move(actor, payroll, "submit", S.SUBMITTED, submitted_at=timezone.now(), return_reason="")


SAME_ACCOUNT_REFUSED = "工资支付表须由提交人以外的账号（总包）审核。"
CONFIRMATION_NEEDED = (
    "提交与审核为同一账号：本项目只有这一个账号，请填写审核确认说明（如“已由总包项目负责人××核对”）后再审核。"
)


def submitter_id(payroll: Payroll) -> int | None:
    """The account that last submitted the sheet, as its audit row records it."""
    from jmzhgd.core.models import AuditLog

    row = (
        AuditLog.objects.filter(
            action="payroll.submit", object_type=Payroll._meta.label, object_id=str(payroll.pk)
        )
        .order_by("-created_at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )
    return row


def refuse_hard_findings(findings: list[checks.Finding], label: str) -> None:
    blocking = checks.hard(findings)
    if blocking:
        raise ValidationError([f"以下问题须先更正才能{label}："] + [f.line for f in blocking])


MAX_NOTE = 500


@transaction.atomic
def approve(actor: Actor, payroll: Payroll, note: str = "", *, confirmation: str = "") -> Payroll:
    """审核通过 by another account than the one that submitted; refused while a hard check fails.

    One written 审核说明 (`note`; `confirmation` is its other name) answers both what may need it: the
    soft check findings (kept with the findings it answered), and, for a project with a single account
    approving its own submission, the second confirmation (kept in the audit row; docs/security.md,
    "Wage sheet approval")."""
    payroll = _start(payroll, "approve")
    note = (note or confirmation or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(f"审核说明不能超过{MAX_NOTE}字。")
    summary = ""
    if actor.user is not None and submitter_id(payroll) == actor.user.pk:
        others = (
            get_user_model()
            .objects.filter(project_id=payroll.project_id, is_active=True, role=actor.user.role)
            .exclude(pk=actor.user.pk)
        )
        if others.exists():
            raise ValidationError(SAME_ACCOUNT_REFUSED)
        if len(note) < 3:
            raise ValidationError(CONFIRMATION_NEEDED)
        summary = f"审核工资支付表：{payroll}（提交人本人审核，确认说明：{note[:200]}）"
    findings = checks.run_checks(payroll)
    refuse_hard_findings(findings, "审核通过")
    answered = checks.soft(findings)
    if answered and not note:
        raise ValidationError(
            [f"以下 {len(answered)} 项核查提示须填写审核说明后才能审核通过："] + [f.line for f in answered]
        )
    return _move(
        actor,
        payroll,
        "approve",
        S.APPROVED,
        summary=summary,
        approved_at=timezone.now(),
        check_note=note,
        check_findings=[f.as_dict() for f in answered],
    )


@transaction.atomic
def return_payroll(actor: Actor, payroll: Payroll, reason: str) -> Payroll:
    """退回: back to 草稿 so the sheet can be corrected; the reason is required and kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("退回须填写原因。")
    if len(reason) > 200:
        raise ValidationError("退回原因不能超过200字。")
    payroll = _start(payroll, "return")
    return _move(
        actor,
        payroll,
        "return",
        S.DRAFT,
        summary=f"退回工资支付表：{payroll}（{reason}）",
        return_reason=reason,
        submitted_at=None,
        approved_at=None,
        check_note="",  # the approval it answered is void; the audit keeps it
        check_findings=[],
    )


def check_balance_date(payroll: Payroll, day: datetime.date | None) -> datetime.date:
    """发放日期 (balanceDate): not after today, not before the month it pays."""
    if day is None:
        raise ValidationError("请填写发放日期。")
    if day > timezone.localdate():
        raise ValidationError("发放日期不能晚于今天。")
    if day < payroll.pay_month:
        raise ValidationError("发放日期不能早于工资月份。")
    return day


@transaction.atomic
def mark_paid(actor: Actor, payroll: Payroll, *, balance_date, voucher=None) -> Payroll:
    """发放: with the bank's 代发凭证 uploaded, or once the bank's result marks every row paid
    (wages.bank_results). A row the bank failed keeps the sheet from 已发放."""
    payroll = _start(payroll, "pay")
    check_balance_date(payroll, balance_date)
    failed = payroll.rows.filter(pay_status=RowPayStatus.FAILED).count()
    if failed:
        raise ValidationError(f"有 {failed} 人银行代发失败，处理并导入成功结果后才能标记为已发放。")
    to_pay = payroll.rows.filter(actual_amount__gt=0)
    all_paid = to_pay.exists() and not to_pay.exclude(pay_status=RowPayStatus.PAID).exists()
    if voucher is None and not payroll.voucher and not all_paid:
        raise ValidationError("请上传银行代发凭证，或导入银行代发结果。")
    if voucher is not None:
        payroll.voucher = clean_image_or_pdf(voucher, label="银行代发凭证")
        payroll.rows.filter(pay_status=RowPayStatus.PENDING).update(pay_status=RowPayStatus.PAID)
    return _move(actor, payroll, "pay", S.PAID, paid_at=timezone.now(), balance_date=balance_date)


@transaction.atomic
def confirm(
    actor: Actor, payroll: Payroll, *, signature_scan=None, signed_row_ids=None, electronic: bool = False
) -> Payroll:
    """确认: the workers' signatures, as a scan of the signed sheet, ticked per row from the printed
    sheet's 签字 column (every row must be ticked), or `electronic`: every line signed by the worker on
    his phone, or, for a line without his signature (unsigned or disputed), paid by the bank under the
    sheet's 代发凭证 (条例 art. 15: 银行代发凭证或农民工签字)."""
    payroll = _start(payroll, "confirm")
    if electronic:
        groups = signing.evidence(payroll)
        missing = [
            r
            for r in groups["unsigned"] + groups["disputed"]
            if not (payroll.voucher and r.pay_status == RowPayStatus.PAID)
        ]
        if missing:
            names = "、".join(r.person.name for r in missing[:10])
            raise ValidationError(f"还有 {len(missing)} 人既没有本人电子签名，也没有银行代发凭证：{names}")
    elif signature_scan is not None:
        payroll.signature_scan = clean_image_or_pdf(signature_scan, label="工人签字扫描件")
        payroll.rows.update(signed=True)
    elif signed_row_ids is not None:
        ids = set(signed_row_ids)
        payroll.rows.filter(pk__in=ids).update(signed=True)
        unsigned = payroll.rows.filter(signed=False).count()
        if unsigned:
            raise ValidationError(f"还有 {unsigned} 人未签字，请上传签字扫描件或勾选全部已签字的人员。")
    else:
        raise ValidationError("请上传工人签字扫描件，或勾选已签字的人员。")
    return _move(actor, payroll, "confirm", S.CONFIRMED, confirmed_at=timezone.now())
