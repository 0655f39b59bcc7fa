"""诚信 records (docs/credit.md): good and bad records (WorkerGoodRecords, WorkerBadRecords) and the
lists (WorkerBlackList, SubContractorBlackList, the 失信联合惩戒对象名单 of 人社部令第45号) of a worker
(workforce.Person) or an enterprise (enterprises.Enterprise), with their objections (申诉).

One model for the four kinds: they share the subject, the dates, the issuing body, the evidence and
the due process (proposal → confirmation, end, objection); the kind says which table of the
standard a row belongs to.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .codes import CATEGORY_LABELS, LIST_KINDS, ObjectionStatus, RecordKind, RecordStatus


class CreditRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> CreditRecordQuerySet:
        """Supervisors: every record (the records are city-wide, like the 人员库). A project account:
        the records it proposed, and the confirmed ones of a person on its roster (any stay) or of
        an enterprise that is one of its units. Nobody else sees any."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.is_supervisor:
            return self
        if not user.is_project_user:
            return self.none()
        return self.for_project(user.project_id)

    def for_project(self, project_id: int) -> CreditRecordQuerySet:
        from enterprises.models import ParticipatingUnit
        from workforce.models import RosterEntry

        persons = RosterEntry.objects.filter(project_id=project_id).values("person_id")
        enterprises = ParticipatingUnit.objects.filter(project_id=project_id).values("enterprise_id")
        confirmed = Q(status__in=[RecordStatus.ACTIVE, RecordStatus.ENDED]) & (
            Q(person_id__in=persons) | Q(enterprise_id__in=enterprises)
        )
        return self.filter(confirmed | Q(proposed_by_id=project_id))

    def in_force_on(self, day: date) -> CreditRecordQuerySet:
        return self.filter(status=RecordStatus.ACTIVE, start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class CreditRecord(models.Model):
    kind = models.CharField("记录类型", max_length=10, choices=RecordKind.choices)
    person = models.ForeignKey(
        "workforce.Person",
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_records",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_records",
    )
    category = models.CharField("类别", max_length=3, blank=True)  # 不良行为类别 / 奖励类别 (credit.codes)
    start_date = models.DateField("发生/列入日期", db_index=True)
    end_date = models.DateField("有效期至/移出日期", null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="相关项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_records",
    )
    issuer = models.CharField("认定/发布单位", max_length=100)
    description = models.TextField("事由", max_length=1000)
    evidence = models.FileField("证明材料扫描件", upload_to="credit/%Y/%m/", blank=True)
    evidence_name = models.CharField("证明材料文件名", max_length=255, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )
    proposed_by = models.ForeignKey(
        "projects.Project",
        verbose_name="提议项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_proposals",
    )
    decision_note = models.CharField("审核意见", max_length=500, blank=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    ended_on = models.DateField("提前移出/终止日期", null=True, blank=True)
    end_reason = models.CharField("移出/终止原因", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = CreditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "诚信记录"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="credit_record_one_subject",
                condition=(Q(person__isnull=False) & Q(enterprise__isnull=True))
                | (Q(person__isnull=True) & Q(enterprise__isnull=False)),
                violation_error_message="记录须且只能针对一名人员或一家企业。",
            ),
            models.CheckConstraint(
                name="credit_record_end_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                violation_error_message="有效期至不能早于发生/列入日期。",
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="credit_kind_status")]

    def __str__(self) -> str:
        return f"{self.subject_name}：{self.get_kind_display()}（{self.start_date:%Y-%m-%d}）"

    @property
    def subject(self):
        return self.person if self.person_id else self.enterprise

    @property
    def subject_name(self) -> str:
        return self.person.name if self.person_id else self.enterprise.name

    @property
    def subject_label(self) -> str:
        return "人员" if self.person_id else "企业"

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KINDS

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, "")

    @property
    def standard_table(self) -> str:
        """The national standard's table the row belongs to (docs/credit.md §2)."""
        if self.kind == RecordKind.GOOD:
            return "WorkerGoodRecords" if self.person_id else "企业良好记录"
        if self.kind == RecordKind.BAD:
            return "WorkerBadRecords" if self.person_id else "企业不良记录"
        if self.kind == RecordKind.BLACKLIST:
            return "WorkerBlackList" if self.person_id else "SubContractorBlackList"
        return "失信联合惩戒对象名单"

    def is_in_force_on(self, day: date) -> bool:
        return (
            self.status == RecordStatus.ACTIVE
            and self.start_date <= day
            and (self.end_date is None or self.end_date >= day)
        )

    @property
    def state_label(self) -> str:
        if self.status == RecordStatus.ACTIVE and self.end_date and self.end_date < timezone.localdate():
            return "已到期"
        return self.get_status_display()


class Objection(models.Model):
    """申诉: the worker or enterprise concerned contests a record; a supervisor answers."""

    record = models.ForeignKey(
        CreditRecord, verbose_name="记录", on_delete=models.CASCADE, related_name="objections"
    )
    reason = models.TextField("申诉理由", max_length=1000)
    filed_via = models.CharField("申诉途径", max_length=30)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_at = models.DateTimeField("申诉时间", auto_now_add=True)
    status = models.CharField(
        "处理状态", max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    answer = models.TextField("答复", max_length=1000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "诚信记录申诉"
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=Q(status="pending"), name="one_pending_objection_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"申诉：{self.record}（{self.get_status_display()}）"
