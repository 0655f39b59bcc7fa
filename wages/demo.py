"""Demo wages for the first demo project: a 工资专户, and for one team a paid month (two months ago,
paid and signed on the workers' phones, one line disputed and one unsigned under the bank's voucher), a month awaiting approval (last month, submitted) and an overdue one (three months
ago, still a draft after its pay day), so the ledger, the sheet's states and the arrears page all have
something to show. Idempotent: a project that has sheets gets no more."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enterprises.models import Team
from jmzhgd.core.codes import PersonCategory
from jmzhgd.core.months import month_back

from . import services, transitions
from .models import Payroll, PayRule, WageAccount
from .months import DEFAULT_PAY_DAY

DAILY_WAGE = Decimal("320")
MONTHLY_WAGE = "7000"  # rows without attendance in the demo's 30 days of punches


def _voucher() -> SimpleUploadedFile:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (200, 120), "white").save(out, "PNG")
    return SimpleUploadedFile("代发凭证.png", out.getvalue(), content_type="image/png")


def _sheet(demo, team, month: datetime.date):
    sheet = services.generate_payroll(demo.actor, team, month, pay_rule=PayRule.DAILY, rate=DAILY_WAGE)
    unpaid = {row.pk: {"total_amount": MONTHLY_WAGE} for row in sheet.rows.all() if row.days == 0}
    if unpaid:
        services.update_rows(demo.actor, sheet, unpaid)
    return sheet


def _signature_png() -> str:
    import base64
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 120), "white")
    ImageDraw.Draw(image).line([(20, 80), (90, 30), (150, 90), (230, 40), (280, 70)], fill="black", width=4)
    out = BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _sign_on_phones(sheet) -> None:
    """The paid month's workers signed on their phones, but for the last two lines: one disputed,
    one unsigned (paid under the bank's voucher), so 已确认 shows both kinds of evidence."""
    from jmzhgd.core.actor import Actor
    from jmzhgd.sms.models import VerificationCode

    from . import signing

    rows = list(sheet.rows.select_related("person").order_by("id"))
    now = timezone.now()
    for index, row in enumerate(rows[:-1]):
        verification = VerificationCode.objects.create(
            purpose=f"wage-sign:{sheet.pk}",
            phone_digest=row.person.phone_digest or "",
            code_hash="demo",
            expires_at=now,
            used_at=now,
        )
        disputed = index == len(rows) - 2
        signing.sign_line(
            Actor(ip="127.0.0.1", label="工人签名（演示）"),
            row,
            decision="disputed" if disputed else "confirmed",
            verification=verification,
            signature_png="" if disputed else _signature_png(),
            reason="出勤少算了一天" if disputed else "",
            user_agent="演示数据",
        )


def seed(demo) -> None:
    projects = demo.shared.get("projects", [])
    if not projects or Payroll.objects.filter(project=projects[0]).exists():
        return
    project = projects[0]
    if not WageAccount.objects.filter(project=project).exists():
        services.save_wage_account(
            demo.actor,
            project,
            {
                "bank_code": "105",
                "branch_name": "中国建设银行江门分行",
                "account_number": "44050166010100001234",
                "deposit_amount": Decimal("500000"),
                "deposit_form": "bank_guarantee",
                "pay_day": DEFAULT_PAY_DAY,
            },
        )
    today = timezone.localdate()
    overdue, paid, awaiting = (month_back(today, n) for n in (3, 2, 1))
    team = (
        Team.objects.filter(project=project, entry_date__lte=overdue, roster__category=PersonCategory.WORKER)
        .normal()
        .order_by("id")
        .first()
    )
    if team is None:
        return
    sheet = transitions.approve(
        demo.actor, transitions.submit(demo.actor, _sheet(demo, team, paid)), "已核对"
    )
    payday = min(today, paid.replace(day=28) + datetime.timedelta(days=17))
    sheet = transitions.mark_paid(demo.actor, sheet, balance_date=payday, voucher=_voucher())
    _sign_on_phones(sheet)
    transitions.confirm(demo.actor, sheet, electronic=True)
    transitions.submit(demo.actor, _sheet(demo, team, awaiting))
    _sheet(demo, team, overdue)
    demo.write(f"  工资管理：{project.name} {team.name} 已发放、待审核、逾期未发各一个月")
