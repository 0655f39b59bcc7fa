"""A vendor's `Payroll.Add` upload (docs/domain.md §2, 工资单): the same sheet as 【生成工资表】, its
rows' amounts taken from the upload. Rules copied from the national platform:

- idempotent by thirdPayRollCode: the same code again answers the sheet already made, writing nothing;
- payMonth not in the future ("[payMonth]不能大于今天"), not before the team's entry;
- balanceDate not after today ("[balanceDate]发放日期不能大于今天");
- every worker must be on the team's roster in that month ("…的工人信息,不允许上传该工人的工资发放信息").
出勤天数 and 总工时 are the platform's own (from its attendance), as on the page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jmzhgd.core.actor import Actor
from jmzhgd.core.pii import id_digest

from . import services
from .models import Payroll


@dataclass
class UploadedRow:
    id_type: str
    id_number: str
    total_amount: object
    actual_amount: object
    is_back_pay: bool
    balance_date: datetime.date | None


class UploadRefused(ValidationError):
    """A refusal naming the payload field (e.g. detailList[2].idCardNumber)."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@transaction.atomic
def upload_payroll(
    actor: Actor, team, pay_month: datetime.date, code: str, details: list[UploadedRow]
) -> tuple[Payroll, bool]:
    """(sheet, created). A sheet already uploaded under `code` is answered as it is."""
    existing = Payroll.objects.filter(project_id=team.project_id, third_payroll_code=code).first()
    if existing is not None:
        return existing, False
    try:
        services.check_month(team, pay_month)
    except ValidationError as exc:
        raise UploadRefused(exc.message_dict["pay_month"][0], "payMonth") from None
    today = timezone.localdate()
    for index, item in enumerate(details):
        if item.balance_date is not None and item.balance_date > today:
            raise UploadRefused("发放日期不能大于今天。", f"detailList[{index}].balanceDate")
        if item.balance_date is not None and item.balance_date < pay_month:
            raise UploadRefused("发放日期不能早于工资月份。", f"detailList[{index}].balanceDate")
    try:
        payroll = services.generate_payroll(actor, team, pay_month, third_payroll_code=code)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise UploadRefused(
            messages[0], {"pay_month": "payMonth", "team": "teamName"}.get(field, field)
        ) from None
    rows = {
        (row.person.id_type, row.person.id_number_digest): row
        for row in payroll.rows.select_related("person")
    }
    data = {}
    for index, item in enumerate(details):
        row = rows.get((item.id_type, id_digest(item.id_number)))
        if row is None:
            raise UploadRefused(
                f"第{index + 1}条：班组 {team.name} {pay_month:%Y-%m} 没有该证件号码的工人信息，不允许上传该工人的工资发放信息。",
                f"detailList[{index}].idCardNumber",
            )
        data[row.pk] = {
            "total_amount": str(item.total_amount),
            "actual_amount": str(item.actual_amount),
            "difference_reason": "补发" if item.is_back_pay else "",
            "is_back_pay": item.is_back_pay,
        }
    try:
        services.update_rows(actor, payroll, data)
    except ValidationError as exc:
        raise UploadRefused(exc.messages[0], "detailList") from None
    dates = [item.balance_date for item in details if item.balance_date]
    if dates:  # the vendor's planned pay date; 发放 on the platform records the real one
        payroll.balance_date = max(dates)
        payroll.save(update_fields=["balance_date", "updated_at"])
    return payroll, True
