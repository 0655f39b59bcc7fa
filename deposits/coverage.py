"""Which 总包 in which 区县 hold a 工资保证金, and whether it covers their projects (the supervisors'
coverage page and its export read the same rows, docs/architecture.md pattern 5).

A row is one (contractor_code, district) of the caller's visible projects, grouped in the database;
the held deposit is joined by correlated subqueries, so a page costs one query whatever the city holds.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from jmzhgd.core.codes import District, ProjectStatus

from .models import Deposit, DepositForm, DepositStatus, ratio_percent

DEPOSIT_COLUMNS = ("pk", "form", "amount", "balance", "contract_sum", "status", "guarantee_valid_until")


def coverage_queryset(projects: QuerySet) -> QuerySet:
    held = Deposit.objects.held().filter(
        contractor_code=OuterRef("contractor_code"), district=OuterRef("district")
    )
    annotations = {f"deposit_{name}": Subquery(held.values(name)[:1]) for name in DEPOSIT_COLUMNS}
    return (
        projects.order_by()
        .values("contractor_code", "district")
        .annotate(
            contractor_name=Max("contractor_name"),
            project_count=Count("pk"),
            under_construction=Count("pk", filter=Q(status=ProjectStatus.UNDER_CONSTRUCTION)),
            **annotations,
        )
        .order_by("district", "contractor_name", "contractor_code")
    )


def required_ratio(under_construction: int) -> Decimal:
    """The least ratio (%) of the contract sum: one project, or several in the same 区县 (下浮)."""
    several = under_construction > 1
    return Decimal(settings.DEPOSIT_MIN_RATIO_SEVERAL if several else settings.DEPOSIT_MIN_RATIO)


def gaps(row: dict, today: datetime.date) -> list[str]:
    """What is missing from the contractor's cover, in words (empty: covered)."""
    if row["deposit_pk"] is None:
        return ["无工资保证金"] if row["under_construction"] else []
    found = []
    if row["deposit_status"] == DepositStatus.USED:
        found.append("已动用待补足")
    until = row["deposit_guarantee_valid_until"]
    if row["deposit_form"] == DepositForm.BANK_GUARANTEE and until and until < today:
        found.append("保函已过期")
    ratio = ratio_percent(row["deposit_amount"], row["deposit_contract_sum"])
    if ratio is None:
        found.append("未登记施工合同额")
    else:
        least = required_ratio(row["under_construction"])
        if ratio < least:
            found.append(f"比例低于 {least}%")
    return found


def ratio_of(row: dict) -> Decimal | None:
    return ratio_percent(row["deposit_amount"], row["deposit_contract_sum"])


HEADER = [
    "所在区县",
    "总承包单位名称",
    "统一社会信用代码",
    "项目数",
    "在建项目数",
    "施工合同额(元)",
    "存储形式",
    "保证金金额(元)",
    "当前余额(元)",
    "比例(%)",
    "状态",
    "缺口",
]


def coverage_rows(rows, today: datetime.date):
    forms, statuses = dict(DepositForm.choices), dict(DepositStatus.choices)
    for row in rows:
        yield [
            District(row["district"]).label if row["district"] in District.values else row["district"],
            row["contractor_name"],
            row["contractor_code"],
            row["project_count"],
            row["under_construction"],
            row["deposit_contract_sum"],
            forms.get(row["deposit_form"], ""),
            row["deposit_amount"],
            row["deposit_balance"],
            ratio_of(row),
            statuses.get(row["deposit_status"], "无"),
            "、".join(gaps(row, today)),
        ]
