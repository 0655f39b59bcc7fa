"""A team's 工资支付表 for this month, brought through the wage actions to the state a test needs."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from attendance.models import DailySummary
from jmzhgd.core.actor import Actor
from wages import services, transitions
from wages.models import PayrollStatus, PayRule, WageAccount
from workforce.models import PayCard

ACCOUNT_NUMBER = "44050170000000000001"
CARD_PREFIX = "621700000000000"
PATH = [PayrollStatus.SUBMITTED, PayrollStatus.APPROVED, PayrollStatus.PAID, PayrollStatus.CONFIRMED]


def wage_account(project) -> WageAccount:
    return WageAccount.objects.create(
        project=project, bank_code="105", branch_name="中国建设银行江门分行", account_number=ACCOUNT_NUMBER
    )


def voucher() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(out, "PNG")
    return SimpleUploadedFile("凭证.png", out.getvalue(), content_type="image/png")


def sheet(team, entries, status: str = PayrollStatus.PAID, *, days: int = 1):
    """This month's sheet of `team` (300 元 a day, `days` days each, paid today), moved to `status`."""
    today = timezone.localdate()
    month = today.replace(day=1)
    for index, entry in enumerate(entries):
        PayCard.objects.update_or_create(
            project_id=entry.project_id,
            person_id=entry.person_id,
            defaults={"bank_name": "中国建设银行江门分行", "bank_card_number": f"{CARD_PREFIX}{index:04d}"},
        )
        for day in range(1, days + 1):
            DailySummary.objects.create(
                project_id=entry.project_id,
                person_id=entry.person_id,
                work_date=month.replace(day=day),
                hours=Decimal("8.00"),
                is_present=True,
            )
    actor = Actor.system("测试")
    payroll = services.generate_payroll(actor, team, month, pay_rule=PayRule.DAILY, rate=Decimal("300"))
    steps = {
        PayrollStatus.SUBMITTED: lambda p: transitions.submit(actor, p),
        PayrollStatus.APPROVED: lambda p: transitions.approve(actor, p, "已核对"),
        PayrollStatus.PAID: lambda p: transitions.mark_paid(actor, p, balance_date=today, voucher=voucher()),
        PayrollStatus.CONFIRMED: lambda p: transitions.confirm(actor, p, signature_scan=voucher()),
    }
    for state in PATH[: PATH.index(status) + 1] if status in PATH else []:
        payroll = steps[state](payroll)
    return payroll
