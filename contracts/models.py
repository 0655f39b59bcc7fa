"""Labour contracts (合同管理, docs/requirements.md §9): one record per roster entry, renewals kept as history.

Status (未签订 / 有效 / 即将到期 / 已过期) is always computed from dates (contracts.status), never stored.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.utils import timezone

from enterprises.models import ProjectScopedQuerySet
from jmzhgd.core.codes import ContractPeriodType, ContractType, MeasureUnit

from .status import EXPIRING_DAYS, ContractStatus, status_for_end_date


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
                violation_error_message="合同失效日期不能早于合同生效日期。",
            ),
            models.CheckConstraint(
                name="fixed_term_contract_has_end",
                condition=~models.Q(period_type="0") | models.Q(end_date__isnull=False),
                violation_error_message="固定期限合同必须填写合同失效日期。",
            ),
        ]
        indexes = [models.Index(fields=["project", "person", "start_date"])]

    def __str__(self) -> str:
        return f"{self.person.name} {self.get_contract_type_display()} {self.start_date}"

    def clean(self) -> None:
        """Date rules with field-level Chinese messages (the constraints above are the database's guard)."""
        errors = {}
        if self.period_type == ContractPeriodType.FIXED and self.end_date is None:
            errors["end_date"] = "固定期限合同必须填写合同失效日期。"
        elif self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = (
                f"合同失效日期（{self.end_date:%Y-%m-%d}）不能早于合同生效日期（{self.start_date:%Y-%m-%d}）。"
            )
        if self.unit_price is not None and not self.measure_unit:
            errors["measure_unit"] = "填写单价时请选择计量单位。"
        if self.unit_price is not None and self.unit_price <= 0:
            errors["unit_price"] = "单价必须大于 0。"
        if errors:
            raise ValidationError(errors)

    def overlaps(self, other: Contract) -> bool:
        """Two periods overlap when each starts on or before the other ends (no end = open)."""
        return (other.end_date is None or self.start_date <= other.end_date) and (
            self.end_date is None or other.start_date <= self.end_date
        )

    @property
    def status(self) -> str:
        """This contract's own status today (contracts.status); an entry's status is its latest contract's."""
        return status_for_end_date(self.end_date)

    @property
    def status_label(self) -> str:
        return ContractStatus(self.status).label

    @property
    def period_label(self) -> str:
        end = f"{self.end_date:%Y-%m-%d}" if self.end_date else "无"
        return f"{self.start_date:%Y-%m-%d} 至 {end}"


class ContractScanQuerySet(ProjectScopedQuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)


class ContractScan(models.Model):
    """One page of a contract's scan (jpg/png/pdf), served only through an access-checked view."""

    project = models.ForeignKey(  # repeats the contract's project so scoping needs no join
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="contract_scans"
    )
    contract = models.ForeignKey(
        Contract, verbose_name="合同", on_delete=models.PROTECT, related_name="scans"
    )
    file = models.FileField("扫描件", upload_to="contracts/scans/%Y/%m/")
    thumbnail = models.FileField("缩略图", upload_to="contracts/thumbs/%Y/%m/", blank=True)
    content_type = models.CharField("文件类型", max_length=50)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    page = models.PositiveIntegerField("页码", default=1)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # Removing a page from a contract only marks it: the file and the record stay (no hard deletes).
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)

    objects = ContractScanQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "合同扫描件"
        ordering = ["contract", "page", "id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


def annotate_contract_status(roster_entries: models.QuerySet, today: date | None = None) -> models.QuerySet:
    """Annotate roster entries with `contract_status` (a ContractStatus value) and `contract_end`.

    One subquery per row in SQL (no query per row in Python): the latest contract of the entry.
    """
    today = today or timezone.localdate()
    contracts = Contract.objects.filter(roster_entry=OuterRef("pk"))
    latest = contracts.order_by("-start_date", "-id")
    # The latest contract's id and end date as correlated subqueries (an index lookup per row). An
    # Exists() here was planned by PostgreSQL as a hashed subplan scanning every contract in the city.
    return roster_entries.annotate(
        latest_contract_id=Subquery(latest.values("id")[:1]),
        contract_end=Subquery(latest.values("end_date")[:1]),
    ).annotate(
        contract_status=Case(
            When(latest_contract_id__isnull=True, then=Value(ContractStatus.NONE.value)),
            When(contract_end__isnull=True, then=Value(ContractStatus.VALID.value)),
            When(contract_end__lt=today, then=Value(ContractStatus.EXPIRED.value)),
            When(
                contract_end__lte=today + timedelta(days=EXPIRING_DAYS),
                then=Value(ContractStatus.EXPIRING.value),
            ),
            default=Value(ContractStatus.VALID.value),
            output_field=models.CharField(),
        ),
    )


class ContractSignature(models.Model):
    """The worker's own signature on his labour contract, given on his phone (docs/signatures.md §5;
    电子签名法 art. 13): identity by 姓名 + 身份证号 + a one-time code to the phone on record, the SHA-256
    of the exact contract content he saw, his drawn signature, time, IP, user agent, the code's
    verification id, and the sealed PDF it produced (kept as a page of the contract's scan). Never
    edited or deleted."""

    contract = models.ForeignKey(
        Contract, verbose_name="合同", on_delete=models.PROTECT, related_name="worker_signatures"
    )
    content = models.JSONField("签署的合同内容")
    content_sha256 = models.CharField("内容SHA-256", max_length=64)
    image = models.FileField("手写签名", upload_to="contracts/signatures/%Y/%m/")
    signed_at = models.DateTimeField("签署时间")
    ip = models.GenericIPAddressField("签署IP", null=True, blank=True)
    user_agent = models.CharField("浏览器标识", max_length=300, blank=True)
    verification = models.ForeignKey(
        "sms.VerificationCode", verbose_name="短信验证记录", on_delete=models.PROTECT, related_name="+"
    )
    scan = models.ForeignKey(
        ContractScan, verbose_name="电子签章PDF", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "劳动合同电子签名"
        ordering = ["contract_id", "-signed_at"]
        constraints = [models.UniqueConstraint(fields=["contract"], name="one_worker_signature_per_contract")]

    def __str__(self) -> str:
        return f"{self.contract} 电子签名 {self.signed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError("电子签名一经签署不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("电子签名一经签署不能删除。")
