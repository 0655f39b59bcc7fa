"""Demo 工资保证金: the first demo project's 总包 holds a bank guarantee; the second's a cash deposit
动用 a month ago and not yet 补足 (the 预警中心 shows it); the third's 总包 has none (so its project
alerts as started without one). Idempotent: a 总包 with a deposit in the 区县 gets no other."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from . import services
from .models import Deposit, DepositForm, EventKind


def seed(demo) -> None:
    projects = demo.shared.get("projects") or []
    today = timezone.localdate()
    plans = [
        (DepositForm.BANK_GUARANTEE, "102", Decimal("1500000"), Decimal("100000000"), None),
        (DepositForm.CASH, "105", Decimal("600000"), Decimal("40000000"), Decimal("180000")),
    ]
    for project, (form, bank, amount, contract_sum, used) in zip(projects, plans, strict=False):
        if Deposit.objects.filter(
            contractor_code=project.contractor_code, district=project.district
        ).exists():
            continue
        deposited = project.start_date or today - datetime.timedelta(days=200)
        deposit = services.save_deposit(
            demo.actor,
            None,
            {
                "contractor_code": project.contractor_code,
                "contractor_name": project.contractor_name,
                "district": project.district,
                "form": form,
                "bank_code": bank,
                "branch_name": "江门分行营业部",
                "amount": amount,
                "contract_sum": contract_sum,
                "deposited_on": deposited,
                "guarantee_valid_until": datetime.date(2028, 12, 31)
                if form == DepositForm.BANK_GUARANTEE
                else None,
                "note": "",
            },
        )
        if used:
            services.record_event(
                demo.actor,
                deposit,
                EventKind.USED,
                happened_on=max(deposited, today - datetime.timedelta(days=30)),
                amount=used,
                reason="江人社工资保证金支付通知〔2026〕1号：支付被拖欠的农民工工资",
            )
        demo.write(
            f"  工资保证金：{project.contractor_name} {deposit.get_form_display()}{'，已动用待补足' if used else ''}"
        )
