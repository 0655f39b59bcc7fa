"""工资保证金 register (《工程建设领域农民工工资保证金规定》人社部发〔2021〕65号; docs/wages.md "工资保证金").

A deposit belongs to a 施工总承包单位 (keyed by its 统一社会信用代码, the `contractorCorpCode` every
project carries) in one 区县: the regulation has the contractor deposit where the works are, once for
its projects there. Its events (动用, 补足, 返还) move the balance; each keeps its document. Nothing is
deleted: a returned deposit stays in the register as 已返还.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models

from jmzhgd.core.codes import Bank, District
from projects.models import Project, scope_by_role


class DepositForm(models.TextChoices):
    CASH = "cash", "现金"
    BANK_GUARANTEE = "bank_guarantee", "银行保函"


class DepositStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    USED = "used", "已动用待补足"
    RETURNED = "returned", "已返还"


class EventKind(models.TextChoices):
    USED = "used", "动用"
    RESTORED = "restored", "补足"
    RETURNED = "returned", "返还"


def _own_contractor(user) -> models.Q:
    """A project account sees the deposit of its own project's 总包 in its project's 区县."""
    own = Project.objects.filter(pk=user.project_id)
    return models.Q(contractor_code__in=own.values("contractor_code"), district__in=own.values("district"))


class DepositQuerySet(models.QuerySet):
    def visible_to(self, user) -> DepositQuerySet:
        return scope_by_role(self, user, own_project=_own_contractor)

    def held(self) -> DepositQuerySet:
        """Deposits still held (not returned): what covers the contractor's projects."""
        return self.exclude(status=DepositStatus.RETURNED)


class Deposit(models.Model):
    contractor_code = models.CharField("总承包单位统一社会信用代码", max_length=18)  # contractorCorpCode
    contractor_name = models.CharField("总承包单位名称", max_length=200)  # contractorCorpName
    district = models.CharField("所在区县", max_length=6, choices=District.choices)
    form = models.CharField("存储形式", max_length=16, choices=DepositForm.choices)
    bank_code = models.CharField("经办银行", max_length=3, choices=Bank.choices)
    branch_name = models.CharField("经办网点", max_length=100, blank=True)
    amount = models.DecimalField("保证金金额(元)", max_digits=14, decimal_places=2)
    balance = models.DecimalField("当前余额(元)", max_digits=14, decimal_places=2)
    # The 施工合同额 the amount was set from (the projects carry no contract sum of their own).
    contract_sum = models.DecimalField(
        "施工合同额(元)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    deposited_on = models.DateField("存入日期")
    guarantee_valid_until = models.DateField("保函有效期至", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=DepositStatus.choices, default=DepositStatus.ACTIVE
    )
    used_on = models.DateField("待补足的动用日期", null=True, blank=True)  # the oldest 动用 not yet restored
    document = models.FileField("存款凭证或保函", upload_to="deposits/%Y/%m/", blank=True)
    document_name = models.CharField("凭证文件名", max_length=255, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = DepositQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "工资保证金"
        ordering = ["district", "contractor_name", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contractor_code", "district"],
                condition=~models.Q(status="returned"),
                name="one_held_deposit_per_contractor_district",
            ),
        ]
        indexes = [models.Index(fields=["contractor_code", "district"])]

    def __str__(self) -> str:
        return f"{self.contractor_name}（{self.get_district_display()}）{self.get_form_display()} {self.amount} 元"

    @property
    def ratio(self) -> Decimal | None:
        """The amount as a percentage of the contract sum (None when no sum is recorded)."""
        return ratio_percent(self.amount, self.contract_sum)

    def guarantee_expired(self, today: datetime.date) -> bool:
        return bool(
            self.form == DepositForm.BANK_GUARANTEE
            and self.guarantee_valid_until
            and self.guarantee_valid_until < today
        )


def ratio_percent(amount, contract_sum) -> Decimal | None:
    if not contract_sum or amount is None:
        return None
    return (Decimal(amount) * 100 / Decimal(contract_sum)).quantize(Decimal("0.01"))


class DepositEvent(models.Model):
    deposit = models.ForeignKey(
        Deposit, verbose_name="工资保证金", on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField("事项", max_length=16, choices=EventKind.choices)
    happened_on = models.DateField("发生日期")
    amount = models.DecimalField("金额(元)", max_digits=14, decimal_places=2)
    balance_after = models.DecimalField("事后余额(元)", max_digits=14, decimal_places=2)
    reason = models.CharField("事由", max_length=500)
    document = models.FileField("文书", upload_to="deposits/events/%Y/%m/", blank=True)
    document_name = models.CharField("文书文件名", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工资保证金事项"
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} 元（{self.happened_on:%Y-%m-%d}）"
