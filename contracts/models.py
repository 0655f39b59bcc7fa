"""Labour contracts (合同管理, SPEC §9): one record per roster entry, renewals kept as history.

Status (未签订 / 有效 / 即将到期 / 已过期) is always computed from dates (contracts.status), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from enterprises.models import ProjectScopedQuerySet
from jmzhgd.core.codes import ContractPeriodType, ContractType, MeasureUnit


class Contract(models.Model):
    project = models.ForeignKey(  # 签订时所在项目
        "projects.Project", verbose_name="签订时所在项目", on_delete=models.PROTECT, related_name="contracts"
    )
    roster_entry = models.ForeignKey(
        "workforce.RosterEntry", verbose_name="花名册记录", on_delete=models.PROTECT, related_name="contracts"
    )
    person = models.ForeignKey(  # repeated from the entry: periods of one worker in one project never overlap
        "workforce.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="contracts"
    )
    unit = models.ForeignKey(  # 合同签订企业: one of the project's units
        "enterprises.ParticipatingUnit",
        verbose_name="合同签订企业",
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    contract_type = models.CharField(
        "合同类型", max_length=16, choices=ContractType.choices, default=ContractType.LABOUR_CONTRACT
    )
    period_type = models.CharField(  # contractPeriodType
        "合同期限类型", max_length=1, choices=ContractPeriodType.choices, default=ContractPeriodType.FIXED
    )
    start_date = models.DateField("合同生效日期")  # startDate
    end_date = models.DateField("合同失效日期", null=True, blank=True)  # endDate
    measure_unit = models.CharField("计量单位", max_length=2, choices=MeasureUnit.choices, blank=True)  # unit
    unit_price = models.DecimalField(
        "单价", max_digits=12, decimal_places=2, null=True, blank=True
    )  # unitPrice
    renewal_of = models.ForeignKey(
        "self",
        verbose_name="续签自",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新日期", auto_now=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "劳动合同"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="contract_end_not_before_start",
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="fixed_term_contract_has_end",
                condition=~models.Q(period_type="0") | models.Q(end_date__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["project", "person", "start_date"])]

    def __str__(self) -> str:
        return f"{self.person.name} {self.get_contract_type_display()} {self.start_date}"


class ContractScan(models.Model):
    """One page of a contract's scan (jpg/png/pdf), served only through an access-checked view."""

    contract = models.ForeignKey(
        Contract, verbose_name="合同", on_delete=models.PROTECT, related_name="scans"
    )
    file = models.FileField("扫描件", upload_to="contracts/scans/%Y/%m/")
    content_type = models.CharField("文件类型", max_length=50)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    page = models.PositiveIntegerField("页码", default=1)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "合同扫描件"
        ordering = ["contract", "page", "id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name
