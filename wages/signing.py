"""The worker's signature on his wage line (条例 art. 31; 电子签名法 art. 13; docs/architecture.md pattern 12).

What is signed is `line_content(row)`: the exact fields the worker sees on the signing page, as
canonical JSON; the signature keeps that JSON and its SHA-256. A line whose content no longer hashes
to its signature's is no longer signed: the actions that change lines call `void_changed`, which
voids such signatures and audits each; the sheet page also recomputes the hash, so a change made
behind the actions' back shows as 内容不符. Identity (姓名 + 身份证号 + SMS code) is the signing page's
(selfservice.signing); this module stores the result.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.signatures import content_hash, signature_image

from .models import LineSignature, Payroll, PayrollRow, PayrollStatus, SignDecision

SIGNABLE = (PayrollStatus.APPROVED, PayrollStatus.PAID)


def sign_token(payroll: Payroll) -> str:
    """The sheet's signing link token, made on first use."""
    if not payroll.sign_token:
        token = secrets.token_urlsafe(24)
        Payroll.objects.filter(pk=payroll.pk, sign_token="").update(sign_token=token)
        payroll.sign_token = Payroll.objects.values_list("sign_token", flat=True).get(pk=payroll.pk)
    return payroll.sign_token


def line_content(row: PayrollRow) -> dict:
    """What the worker sees and signs; every value a string so the JSON is the same on every database."""
    payroll = row.payroll
    masked = row.bank_card_number_masked or ""
    return {
        "project": payroll.project.name,
        "team": payroll.team.name,
        "month": payroll.month_label,
        "name": row.person.name,
        "id_number": row.person.id_number_masked,
        "days": str(row.days),
        "work_hours": f"{row.work_hours:.2f}",
        "total_amount": f"{row.total_amount:.2f}",
        "deductions": f"{row.deductions:.2f}",
        "actual_amount": f"{row.actual_amount:.2f}",
        "difference_reason": row.difference_reason,
        "bank_name": row.bank_name,
        "card_last4": masked[-4:] if masked and "*" not in masked[-4:] else "",
    }


def active_signature(row: PayrollRow) -> LineSignature | None:
    return row.signatures.filter(voided_at__isnull=True).order_by("-signed_at", "-id").first()


@transaction.atomic
def sign_line(
    actor: Actor,
    row: PayrollRow,
    *,
    decision: str,
    verification,
    signature_png: str = "",
    reason: str = "",
    user_agent: str = "",
) -> LineSignature:
    """【确认无误】 with a drawn signature, or 【有异议】 with a reason, on a line not yet signed."""
    row = (
        PayrollRow.objects.select_for_update()
        .select_related("payroll__project", "payroll__team", "person")
        .get(pk=row.pk)
    )
    if row.payroll.status not in SIGNABLE:
        raise ValidationError("工资支付表审核通过后才能签名确认。")
    if active_signature(row) is not None:
        raise ValidationError("本行工资已签署，不能重复签署。")
    reason = (reason or "").strip()
    image = None
    if decision == SignDecision.CONFIRMED:
        image = signature_image(signature_png)
        reason = ""
    elif decision == SignDecision.DISPUTED:
        if not reason:
            raise ValidationError("请填写异议内容。")
        if len(reason) > 500:
            raise ValidationError("异议内容不能超过500字。")
    else:
        raise ValidationError("请选择确认无误或有异议。")
    content = line_content(row)
    signature = LineSignature(
        row=row,
        payroll=row.payroll,
        decision=decision,
        reason=reason,
        content=content,
        content_sha256=content_hash(content),
        signed_at=timezone.now(),
        ip=actor.ip or None,
        user_agent=(user_agent or "")[:300],
        verification=verification,
    )
    if image is not None:
        signature.image.save(image.name, image, save=False)
    signature.save()
    if decision == SignDecision.CONFIRMED:
        PayrollRow.objects.filter(pk=row.pk).update(signed=True)
    audit.record(
        actor,
        "payroll.line_sign",
        row.payroll,
        project=row.payroll.project_id,
        summary=f"工人电子签名：{row.person.name}，{signature.get_decision_display()}",
        after={
            "decision": decision,
            "content_sha256": signature.content_sha256,
            "verification": verification.pk,
        },
    )
    return signature


def void_changed(actor: Actor, rows: list[PayrollRow]) -> int:
    """Void the signatures of `rows` whose content changed since signing (audited each)."""
    signatures = list(
        LineSignature.objects.filter(row__in=[r.pk for r in rows], voided_at__isnull=True).select_related(
            "row__payroll__project", "row__payroll__team", "row__person"
        )
    )
    voided = []
    now = timezone.now()
    for signature in signatures:
        if content_hash(line_content(signature.row)) == signature.content_sha256:
            continue
        signature.voided_at, signature.void_reason = now, "签署后明细已修改"
        signature.save(update_fields=["voided_at", "void_reason"])
        voided.append(signature)
    PayrollRow.objects.filter(pk__in=[s.row_id for s in voided]).update(signed=False)
    audit.record_many(
        [
            audit.build(
                actor,
                "payroll.signature_void",
                s.payroll,
                project=s.payroll.project_id,
                summary=f"明细修改，{s.row.person.name} 的电子签名失效",
                before={"content_sha256": s.content_sha256},
                after={"content_sha256": content_hash(line_content(s.row))},
            )
            for s in voided
        ]
    )
    return len(voided)


def evidence(payroll: Payroll) -> dict[str, list[PayrollRow]]:
    """The sheet's rows by the worker's own word: signed (intact 确认无误), disputed, unsigned."""
    states = signature_states(payroll)
    groups: dict[str, list[PayrollRow]] = {"signed": [], "disputed": [], "unsigned": []}
    for row in payroll.rows.select_related("person").order_by("id"):
        state = states.get(row.pk, "")
        key = "signed" if state == SIGNED else "disputed" if state == DISPUTED else "unsigned"
        groups[key].append(row)
    return groups


SIGNED, DISPUTED = "已电子签名", "有异议"


def signature_states(payroll: Payroll) -> dict[int, str]:
    """Per row id: 已签名 / 有异议 / 内容不符 (changed behind the actions' back) for the sheet page."""
    return _states(LineSignature.objects.filter(payroll=payroll))


def row_signature_states(row_ids: list[int]) -> dict[int, str]:
    """The same, for a worker's own lines across sheets (工人自助查询)."""
    return _states(LineSignature.objects.filter(row_id__in=row_ids)) if row_ids else {}


def _states(signatures) -> dict[int, str]:
    states = {}
    for signature in (
        signatures.filter(voided_at__isnull=True)
        .select_related("row__payroll__project", "row__payroll__team", "row__person")
        .order_by("signed_at", "id")
    ):
        if content_hash(line_content(signature.row)) != signature.content_sha256:
            states[signature.row_id] = "内容不符，签名失效"
        else:
            states[signature.row_id] = SIGNED if signature.decision == SignDecision.CONFIRMED else DISPUTED
    return states
