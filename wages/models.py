"""工资管理 (保障农民工工资支付条例 art. 15, 26–31): the project's 工资专户 and the monthly 工资支付表.

Field names follow the national `Payroll.Add` payload (docs/domain.md §2), noted beside each field.
A sheet (Payroll) is one 参建单位 × 班组 × month; its rows (PayrollRow) are one worker each. Sheets
and rows are the 工资支付台账 that art. 15 keeps for at least three years: they are never deleted
(the model, the queryset and the admin all refuse).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from enterprises.models import ProjectScopedQuerySet
from jmzhgd.core.codes import Bank
from jmzhgd.core.pii import EncryptedTextField, MaskedIdField

from .months import DEFAULT_PAY_DAY


class DepositForm(models.TextChoices):
    CASH = "cash", "现金"
    BANK_GUARANTEE = "bank_guarantee", "银行保函"
    GUARANTEE = "guarantee", "担保"


class WageAccount(models.Model):
    """农民工工资专用账户 (art. 26) and 工资保证金 of one project, opened by the general contractor."""

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="wage_account"
    )
    bank_code = models.CharField("开户银行", max_length=3, choices=Bank.choices, blank=True)  # payBankCode
    branch_name = models.CharField("开户支行", max_length=100)  # payBankName
    account_number = EncryptedTextField("专户账号")  # payBankCardNumber (AES in the national payload)
    account_number_masked = MaskedIdField(source="account_number")
    opened_on = models.DateField("开户日期", null=True, blank=True)
    deposit_amount = models.DecimalField(
        "工资保证金金额(元)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    deposit_form = models.CharField("保证金形式", max_length=16, choices=DepositForm.choices, blank=True)
    pay_day = models.PositiveSmallIntegerField(
        "工资支付日期", default=DEFAULT_PAY_DAY, help_text="每月几号支付上月工资（1–31，小月取月末）"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "工资专户"

    def __str__(self) -> str:
        return f"{self.get_bank_code_display()} {self.account_number_masked}"


class PayrollStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    APPROVED = "approved", "已审核"
    PAID = "paid", "已发放"
    CONFIRMED = "confirmed", "已确认"


# The one home of the sheet's state groups (the transitions in wages/transitions.py move between them).
# 已发放 and 已确认: the wages went out through the 工资专户 (条例 art. 30).
PAID_STATES = frozenset({PayrollStatus.PAID, PayrollStatus.CONFIRMED})
# From 已审核 on: the amounts are fixed, the bank's 代发 file can be drawn and the worker sees his line.
APPROVED_STATES = frozenset({PayrollStatus.APPROVED, *PAID_STATES})


class PayRule(models.TextChoices):
    MANUAL = "manual", "逐行填写"
    DAILY = "daily", "日薪×出勤天数"
    PIECE = "piece", "计件"


class RowPayStatus(models.TextChoices):
    PENDING = "pending", "待发放"
    PAID = "paid", "发放成功"
    FAILED = "failed", "发放失败"


class NoDeleteQuerySet(models.QuerySet):
    def delete(self):
        raise ValidationError("工资支付台账须保存三年以上，不能删除。")


class PayrollQuerySet(NoDeleteQuerySet, ProjectScopedQuerySet):
    def paid(self):
        return self.filter(status__in=PAID_STATES)


class NoDeleteModel(models.Model):
    """条例 art. 15: the written 工资支付台账 is kept for at least three years; no hard delete."""

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise ValidationError("工资支付台账须保存三年以上，不能删除。")


class Payroll(NoDeleteModel):
    """工资支付表: one 参建单位 × 班组 × month (Payroll.Add header)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="payrolls"
    )
    unit = models.ForeignKey(  # corpCode / corpName
        "enterprises.ParticipatingUnit", verbose_name="参建单位", on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(  # teamSysNo
        "enterprises.Team", verbose_name="班组", on_delete=models.PROTECT, related_name="payrolls"
    )
    pay_month = models.DateField("工资月份")  # payMonth, stored as the month's first day
    status = models.CharField(
        "状态", max_length=16, choices=PayrollStatus.choices, default=PayrollStatus.DRAFT, db_index=True
    )
    pay_rule = models.CharField("计算方式", max_length=8, choices=PayRule.choices, default=PayRule.MANUAL)
    rate = models.DecimalField(  # 日薪 for the daily rule, 计件单价 for the piece rule
        "单价(元)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    balance_date = models.DateField("发放日期", null=True, blank=True)  # balanceDate
    return_reason = models.CharField("退回原因", max_length=200, blank=True)
    third_payroll_code = models.CharField(  # thirdPayRollCode: the vendor's id, for idempotent uploads
        "第三方工资单编号", max_length=64, blank=True
    )
    voucher = models.FileField("银行代发凭证", upload_to="wages/vouchers/%Y/%m/", blank=True)
    signature_scan = models.FileField("工人签字扫描件", upload_to="wages/signatures/%Y/%m/", blank=True)
    # The sheet's signing link (/sign/<token>/): unguessable, one per sheet, made when first shown.
    sign_token = models.CharField("签名链接令牌", max_length=43, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="编制人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("编制时间", auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    paid_at = models.DateTimeField("发放时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    # The approver's answer to the soft checks (wages.checks) and the findings it answered, as they
    # stood at 审核通过; shown on the sheet and in the audit row.
    check_note = models.CharField("审核说明", max_length=500, blank=True)
    check_findings = models.JSONField("审核时的核查提示", default=list, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PayrollQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "工资支付表"
        ordering = ["-pay_month", "unit_id", "team_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "pay_month"],
                name="one_payroll_per_team_month",
                violation_error_message="该班组本月已有工资支付表，不能重复生成。",
            ),
            models.UniqueConstraint(
                fields=["project", "third_payroll_code"],
                condition=~models.Q(third_payroll_code=""),
                name="unique_third_payroll_code_per_project",
            ),
        ]
        indexes = [models.Index(fields=["project", "pay_month", "status"])]

    def __str__(self) -> str:
        return f"{self.team.name} {self.pay_month:%Y-%m} 工资支付表"

    @property
    def month_label(self) -> str:
        return f"{self.pay_month:%Y-%m}"

    @property
    def is_editable(self) -> bool:
        return self.status == PayrollStatus.DRAFT

    @property
    def is_paid(self) -> bool:
        return self.status in PAID_STATES

    @property
    def allows_bank_file(self) -> bool:
        return self.status in APPROVED_STATES

    @property
    def awaits_bank_result(self) -> bool:
        """Approved, not yet paid: the bank's 代发 result can be read in."""
        return self.status == PayrollStatus.APPROVED


class PayrollRow(NoDeleteModel):
    """One worker on a sheet (Payroll.Add detailList item)."""

    payroll = models.ForeignKey(
        Payroll, verbose_name="工资支付表", on_delete=models.PROTECT, related_name="rows"
    )
    person = models.ForeignKey(
        "workforce.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    roster_entry = models.ForeignKey(  # the worker's latest stay on the team in the month
        "workforce.RosterEntry", verbose_name="花名册记录", on_delete=models.PROTECT, related_name="+"
    )
    days = models.PositiveSmallIntegerField("出勤天数", default=0)  # days
    work_hours = models.DecimalField("总工时", max_digits=7, decimal_places=2, default=0)  # workHours
    piece_quantity = models.DecimalField("计件数量", max_digits=12, decimal_places=2, null=True, blank=True)
    total_amount = models.DecimalField(
        "应发金额", max_digits=12, decimal_places=2, default=0
    )  # totalPayAmount
    deductions = models.DecimalField("代扣代缴", max_digits=12, decimal_places=2, default=0)
    actual_amount = models.DecimalField(
        "实发金额", max_digits=12, decimal_places=2, default=0
    )  # actualAmount
    is_back_pay = models.BooleanField("补发", default=False)  # isBackPay
    difference_reason = models.CharField("实发多于应发的原因", max_length=200, blank=True)
    # The card paid to, as it was when the sheet was drawn up (payRollBankCode / Name / CardNumber).
    bank_code = models.CharField("工资卡银行", max_length=3, choices=Bank.choices, blank=True)
    bank_name = models.CharField("工资卡开户行", max_length=100, blank=True)
    bank_card_number = EncryptedTextField("工资卡号", blank=True)
    bank_card_number_masked = MaskedIdField(source="bank_card_number")
    pay_status = models.CharField(
        "发放结果", max_length=8, choices=RowPayStatus.choices, default=RowPayStatus.PENDING
    )
    pay_note = models.CharField("发放说明", max_length=200, blank=True)
    signed = models.BooleanField("已签字", default=False)

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "工资支付表明细"
        ordering = ["payroll_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["payroll", "person"], name="one_row_per_person_per_payroll"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.actual_amount}"


class MinimumWage(models.Model):
    """最低工资标准 in force from a date (劳动法 art. 48; 最低工资规定 art. 12): the wage checks read the
    row in force on a month's last day. Seeded with Jiangmen's tier by a data migration; the province
    revises it every two or three years, and an administrator adds the new row in the admin."""

    region = models.CharField("地区", max_length=20, default="江门市")
    effective_from = models.DateField("执行日期")
    monthly_amount = models.DecimalField("月最低工资标准(元)", max_digits=8, decimal_places=2)
    hourly_amount = models.DecimalField(
        "非全日制小时最低工资标准(元)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    source = models.CharField("依据文件", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "最低工资标准"
        ordering = ["region", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "effective_from"], name="one_minimum_wage_per_date"),
            models.CheckConstraint(name="minimum_wage_positive", condition=models.Q(monthly_amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.effective_from:%Y-%m-%d} 起 {self.monthly_amount} 元/月"


class SignDecision(models.TextChoices):
    CONFIRMED = "confirmed", "确认无误"
    DISPUTED = "disputed", "有异议"


class LineSignature(NoDeleteModel):
    """The worker's own word on his line (条例 art. 31 "经农民工本人签字确认"; 电子签名法 art. 13):
    identity by 姓名 + 身份证号 + a one-time code to the phone on record, the SHA-256 of the exact
    line content he saw, his drawn signature, time, IP, user agent and the code's verification id.
    Never edited: a line changed after signing voids the signature (voided_at, audited), and a
    new signature is a new row (wages.signing)."""

    row = models.ForeignKey(
        PayrollRow, verbose_name="明细行", on_delete=models.PROTECT, related_name="signatures"
    )
    payroll = models.ForeignKey(
        Payroll, verbose_name="工资支付表", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField("签署意见", max_length=16, choices=SignDecision.choices)
    reason = models.CharField("异议内容", max_length=500, blank=True)
    image = models.FileField("手写签名", upload_to="wages/line-signatures/%Y/%m/", blank=True)
    content = models.JSONField("签署的明细内容")
    content_sha256 = models.CharField("内容SHA-256", max_length=64)
    signed_at = models.DateTimeField("签署时间")
    ip = models.GenericIPAddressField("签署IP", null=True, blank=True)
    user_agent = models.CharField("浏览器标识", max_length=300, blank=True)
    verification = models.ForeignKey(
        "sms.VerificationCode", verbose_name="短信验证记录", on_delete=models.PROTECT, related_name="+"
    )
    voided_at = models.DateTimeField("失效时间", null=True, blank=True)
    void_reason = models.CharField("失效原因", max_length=200, blank=True)

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "工人电子签名"
        ordering = ["row_id", "-signed_at"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.signed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        """Written once; afterwards only the voiding fields may be set."""
        update_fields = kwargs.get("update_fields")
        if self.pk and not (update_fields and set(update_fields) <= {"voided_at", "void_reason"}):
            raise ValidationError("电子签名一经签署不能修改。")
        super().save(*args, **kwargs)
