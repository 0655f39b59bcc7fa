"""项目培训 (the national standard's ProjectTraining with its workers): sessions per project and who
attended each, 合格 or 不合格. The entry gate (training.gate) reads them (建市〔2022〕59号 art. 8: basic
safety training before entering the site)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from enterprises.models import ProjectScopedQuerySet

from .certificates import (
    CertificateGrade,
    CertificateKind,
    CertificateStatus,
    CertificateType,
    is_valid_on,
)


class TrainingType(models.TextChoices):
    """项目培训类型 (trainingTypeCode) of the national data standard."""

    SAFETY = "003001", "安全教育"
    ENTRY = "003002", "入场教育"
    EXIT = "003003", "退场教育"
    SKILL = "003004", "技能培训"


# A passed training of one of these types lets a worker enter (training.gate).
ENTRY_TRAINING_TYPES = (TrainingType.SAFETY, TrainingType.ENTRY)
MAX_HOURS = Decimal("999.9")


class Training(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="trainings"
    )
    training_type = models.CharField(  # trainingTypeCode
        "培训类型", max_length=6, choices=TrainingType.choices, default=TrainingType.SAFETY
    )
    name = models.CharField("培训名称", max_length=100)  # trainingName
    training_date = models.DateField("培训日期", db_index=True)  # trainingDate
    hours = models.DecimalField(  # trainingDuration
        "培训时长（小时）",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_HOURS)],
    )
    trainer = models.CharField("培训人", max_length=50, blank=True)  # trainer
    organisation = models.CharField("培训机构", max_length=100, blank=True)  # trainingOrg
    place = models.CharField("培训地址", max_length=200, blank=True)  # trainingAddress
    description = models.TextField("培训简述", max_length=1000, blank=True)  # description
    sign_in_scan = models.FileField("签到表扫描件", upload_to="trainings/%Y/%m/", blank=True)
    sign_in_scan_name = models.CharField("签到表文件名", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新日期", auto_now=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "项目培训"
        ordering = ["-training_date", "-id"]
        indexes = [models.Index(fields=["project", "training_date"], name="training_project_date")]

    def __str__(self) -> str:
        return f"{self.training_date:%Y-%m-%d} {self.get_training_type_display()}：{self.name}"


class TrainingAttendee(models.Model):
    """One worker of a training (the standard's ProjectTraining worker list) with the result."""

    training = models.ForeignKey(
        Training, verbose_name="培训", on_delete=models.CASCADE, related_name="attendees"
    )
    person = models.ForeignKey(
        "workforce.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="trainings"
    )
    passed = models.BooleanField("考核合格", default=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "培训人员"
        ordering = ["person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["training", "person"], name="one_attendance_per_training")
        ]

    def __str__(self) -> str:
        return f"{self.training.name}：{self.person}（{self.result_label}）"

    @property
    def result_label(self) -> str:
        return "合格" if self.passed else "不合格"


class PersonalCertification(models.Model):
    """A person's certificate (the national standard's PersonalCertifications), a shared record of
    the 人员库 (docs/architecture.md pattern 10): changed by a project that has him on site or by a supervisor."""

    person = models.ForeignKey(
        "workforce.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="certifications"
    )
    kind = models.CharField(  # 证书种类
        "证书种类",
        max_length=2,
        choices=CertificateKind.choices,
        default=CertificateKind.CONSTRUCTION_SPECIAL,
    )
    certificate_type = models.CharField(  # 证书类型
        "证书类型", max_length=2, choices=CertificateType.choices
    )
    grade = models.CharField("等级", max_length=1, choices=CertificateGrade.choices, blank=True)
    number = models.CharField("证书编号", max_length=50)
    issuer = models.CharField("发证机关", max_length=100)
    issue_date = models.DateField("发证日期")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    review_date = models.DateField("下次复审日期", null=True, blank=True)
    status = models.CharField(
        "证书状态", max_length=1, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    scan = models.FileField("证书扫描件", upload_to="certificates/%Y/%m/", blank=True)
    scan_name = models.CharField("扫描件文件名", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新日期", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "人员证书"
        ordering = ["-valid_until", "-id"]
        constraints = [
            models.CheckConstraint(
                name="certificate_valid_after_issue",
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("issue_date")),
                violation_error_message="有效期至不能早于发证日期。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_certificate_type_display()} {self.number}"

    def is_valid_on(self, day) -> bool:
        return is_valid_on(self.status, self.valid_until, day)

    @property
    def is_valid_now(self) -> bool:
        return self.is_valid_on(timezone.localdate())


class WorkTypeCertificate(models.Model):
    """工种 → the certificate type its work needs (a special trade works only with a valid one)."""

    work_type = models.OneToOneField(
        "core.WorkType", verbose_name="工种", on_delete=models.CASCADE, related_name="certificate_rule"
    )
    certificate_type = models.CharField("须持证书类型", max_length=2, choices=CertificateType.choices)

    class Meta:
        verbose_name = verbose_name_plural = "工种持证要求"

    def __str__(self) -> str:
        return f"{self.work_type}：须持{self.get_certificate_type_display()}"
