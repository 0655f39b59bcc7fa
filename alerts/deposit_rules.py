"""The 工资保证金 rules (docs/wages.md "工资保证金", 《工程建设领域农民工工资保证金规定》人社部发〔2021〕65号).

- `deposit_missing`: a 在建 project, started (开工日期) more than ALERT_DEPOSIT_DUE_WORKING_DAYS working
  days ago, whose 总包 holds no deposit in the project's 区县.
- `deposit_not_restored`: a deposit 动用 more than ALERT_DEPOSIT_RESTORE_WORKING_DAYS working days ago
  and not yet 补足 in full. An alert belongs to a project, so it opens on each project of the 总包 in
  the 区县 that is not 完工 (the projects whose workers the deposit answers for).

Both are one set-based query for the whole city.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Exists, OuterRef

from deposits.models import Deposit, DepositStatus
from deposits.workdays import add_working_days, working_days_before
from jmzhgd.core.codes import ProjectStatus
from projects.models import Project

from .models import SubjectType
from .registry import Context, Finding, rule

DEPOSIT_MISSING = "deposit_missing"
DEPOSIT_NOT_RESTORED = "deposit_not_restored"
DEPOSIT_RULES = (DEPOSIT_MISSING, DEPOSIT_NOT_RESTORED)


@rule(
    DEPOSIT_MISSING,
    "开工未存工资保证金",
    "在建项目开工 {ALERT_DEPOSIT_DUE_WORKING_DAYS} 个工作日后，其施工总承包单位在项目所在区县仍没有在存的工资保证金"
    "（人社部发〔2021〕65号）。",
)
def deposit_missing(ctx: Context) -> Iterable[Finding]:
    cutoff = working_days_before(ctx.today, settings.ALERT_DEPOSIT_DUE_WORKING_DAYS)
    held = Deposit.objects.held().filter(
        contractor_code=OuterRef("contractor_code"), district=OuterRef("district")
    )
    projects = (
        ctx.scope(Project.objects.all(), "pk")
        .filter(status=ProjectStatus.UNDER_CONSTRUCTION, start_date__lt=cutoff)
        .filter(~Exists(held))
        .order_by()
    )
    for pk, name, contractor, start in projects.values_list("pk", "name", "contractor_name", "start_date"):
        yield Finding(
            pk, SubjectType.PROJECT, pk, name, {"总承包单位": contractor, "开工日期": f"{start:%Y-%m-%d}"}
        )


@rule(
    DEPOSIT_NOT_RESTORED,
    "工资保证金动用后未补足",
    "工资保证金动用后 {ALERT_DEPOSIT_RESTORE_WORKING_DAYS} 个工作日内未补足（人社部发〔2021〕65号：使用之日起"
    "10 个工作日内补足）。",
)
def deposit_not_restored(ctx: Context) -> Iterable[Finding]:
    cutoff = working_days_before(ctx.today, settings.ALERT_DEPOSIT_RESTORE_WORKING_DAYS)
    deposits = {
        (d.contractor_code, d.district): d
        for d in Deposit.objects.filter(status=DepositStatus.USED, used_on__lt=cutoff)
    }
    if not deposits:
        return
    codes = {code for code, _ in deposits}
    projects = (
        ctx.scope(Project.objects.filter(contractor_code__in=codes), "pk")
        .exclude(status=ProjectStatus.COMPLETED)
        .order_by()
        .values_list("pk", "contractor_code", "district")
    )
    for pk, code, district in projects:
        deposit = deposits.get((code, district))
        if deposit is None:
            continue
        yield Finding(
            pk,
            SubjectType.DEPOSIT,
            deposit.pk,
            f"{deposit.contractor_name} 工资保证金",
            {
                "动用日期": f"{deposit.used_on:%Y-%m-%d}",
                "应补足日期": f"{add_working_days(deposit.used_on, settings.ALERT_DEPOSIT_RESTORE_WORKING_DAYS):%Y-%m-%d}",
                "待补足金额": f"{deposit.amount - deposit.balance} 元",
            },
        )
