"""人员库 (one real identity, shared by all projects) and 花名册 (one stay of a person in a project).

Field names follow the national ProjectWorker payload, noted beside each field.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from enterprises.models import ProjectScopedQuerySet
from jmzhgd.core.codes import (
    CultureLevel,
    Gender,
    IdCardType,
    MaritalStatus,
    Nation,
    PersonCategory,
    PoliticsType,
)
from jmzhgd.core.pii import (
    DigestField,
    EncryptedTextField,
    MaskedIdField,
    PhoneDigestField,
    PhoneTailField,
    mask_phone,
)


class PersonSource(models.TextChoices):
    WEB = "web", "平台录入"
    COLLECTION = "collection", "采集"
    API = "api", "采集人员上传接口"
    IMPORT = "import", "批量导入"
    LEGACY = "legacy", "旧平台迁移"


class Person(models.Model):
    """A real identity, unique by 证件类型 + 证件号码 (the number is stored encrypted)."""

    id_type = models.CharField(  # idCardType
        "证件类型", max_length=2, choices=IdCardType.choices, default=IdCardType.RESIDENT_ID
    )
    id_number = EncryptedTextField("证件号码")  # idCardNumber
    id_number_digest = DigestField(source="id_number")
    id_number_masked = MaskedIdField(source="id_number")
    name = models.CharField("姓名", max_length=50, db_index=True)  # workerName
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    nation = models.CharField("民族", max_length=2, choices=Nation.choices, blank=True)  # nation
    address = models.CharField("住址", max_length=200, blank=True)  # address
    issuing_authority = models.CharField("发证机关", max_length=100, blank=True)  # grantOrg
    id_valid_from = models.DateField("证件有效期起", null=True, blank=True)  # startDate
    id_valid_to = models.DateField(
        "证件有效期止", null=True, blank=True, help_text="留空表示长期有效"
    )  # expiryDate
    # Phones are encrypted like the ID number (docs/requirements.md §11 PII): a digest for exact search, the last 4
    # digits for 尾号 lookups; pages show them masked (phone_masked).
    phone = EncryptedTextField("手机号", blank=True)  # cellPhone
    phone_digest = PhoneDigestField(source="phone")
    phone_last4 = PhoneTailField(source="phone", db_index=True)
    culture_level = models.CharField(  # cultureLevelType
        "文化程度", max_length=2, choices=CultureLevel.choices, blank=True
    )
    politics_type = models.CharField(  # politicsType
        "政治面貌", max_length=2, choices=PoliticsType.choices, blank=True
    )
    marital_status = models.CharField(  # maritalStatus
        "婚姻状况", max_length=2, choices=MaritalStatus.choices, blank=True
    )
    has_major_medical_history = models.BooleanField("是否有重大病史", default=False)  # hasBadMedicalHistory
    urgent_contact_name = models.CharField("紧急联系人", max_length=50, blank=True)  # urgentLinkMan
    urgent_contact_phone = EncryptedTextField("紧急联系人电话", blank=True)  # urgentLinkManPhone
    urgent_contact_phone_last4 = PhoneTailField(source="urgent_contact_phone")
    # 工资卡 (payRollBankName / payRollBankCardNumber) is not the person's: each project holds the
    # card it pays him into (PayCard, docs/architecture.md pattern 11).
    photo = models.ImageField("头像", upload_to="persons/photos/", blank=True)  # headImage
    id_front_image = models.ImageField("身份证正面照", upload_to="persons/id_cards/", blank=True)
    id_back_image = models.ImageField("身份证反面照", upload_to="persons/id_cards/", blank=True)
    source = models.CharField("来源", max_length=16, choices=PersonSource.choices, default=PersonSource.WEB)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_type", "id_number_digest"], name="unique_person_identity"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"

    def age_on(self, day) -> int | None:
        if self.birth_date is None:
            return None
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def urgent_contact_phone_masked(self) -> str:
        return mask_phone(self.urgent_contact_phone)

    @property
    def id_expired(self) -> bool:
        return self.id_valid_to is not None and self.id_valid_to < timezone.localdate()


class PayCard(models.Model):
    """The 工资卡 one project pays a worker into (payRollBankName / payRollBankCardNumber).

    Money belongs to the employment (docs/architecture.md pattern 11; 保障农民工工资支付条例 art. 31): each
    project keeps its own record of where it pays him, changed only by that project, every change
    audited with the previous card's last four digits. A wage sheet and a bank file read only the
    card of their own project.
    """

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="pay_cards"
    )
    bank_name = models.CharField("工资卡开户行", max_length=100, blank=True)
    bank_card_number = EncryptedTextField("工资卡号")
    bank_card_number_masked = MaskedIdField(source="bank_card_number")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "工资卡"
        constraints = [models.UniqueConstraint(fields=["project", "person"], name="one_pay_card_per_project")]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.bank_card_number_masked}".strip()

    @property
    def last4(self) -> str:
        return self.bank_card_number[-4:]


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "已驳回"


class PersonChangeProposal(models.Model):
    """Differences a project submitted for a person whose identity it may not change
    (workforce.person_rights): kept, not applied, until the project holding his only open stay
    or a supervisor accepts or rejects them (docs/architecture.md pattern 10).

    `changes` holds the proposed values as JSON, encrypted like the person's phone (it may carry
    one); new images are stored with the proposal and copied to the person on acceptance.
    """

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="change_proposals"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name="提交项目", on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField("来源", max_length=16, choices=PersonSource.choices)
    changes = EncryptedTextField("修改内容")
    photo = models.ImageField("头像", upload_to="persons/proposals/", blank=True)
    id_front_image = models.ImageField("身份证正面照", upload_to="persons/proposals/", blank=True)
    id_back_image = models.ImageField("身份证反面照", upload_to="persons/proposals/", blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_project = models.ForeignKey(
        "projects.Project",
        verbose_name="处理项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="为空表示由监管部门处理",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    reason = models.CharField("处理说明", max_length=200, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "人员信息修改申请"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person} 修改申请"


class RosterEntryQuerySet(ProjectScopedQuerySet):
    def on_site(self):
        return self.filter(exit_date__isnull=True)

    def during(self, start, end):
        """Stays overlapping the days [start, end]: entered by `end`, not left before `start` (the exit
        day itself is still a day of the stay)."""
        return self.filter(entry_date__lte=end).filter(
            models.Q(exit_date__isnull=True) | models.Q(exit_date__gte=start)
        )


class RosterEntry(models.Model):
    """花名册: one stay of a person in a project. Re-entry makes a new entry; history is kept."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="roster"
    )
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="roster_entries"
    )
    unit = models.ForeignKey(
        "enterprises.ParticipatingUnit",
        verbose_name="所属企业",
        on_delete=models.PROTECT,
        related_name="roster",
    )
    team = models.ForeignKey(
        "enterprises.Team", verbose_name="所属班组", on_delete=models.PROTECT, related_name="roster"
    )
    category = models.CharField("人员类别", max_length=16, choices=PersonCategory.choices)  # workRole
    work_type = models.ForeignKey(  # workType
        "core.WorkType", verbose_name="工种", null=True, blank=True, on_delete=models.PROTECT
    )
    post = models.ForeignKey(  # management post
        "core.ManagementPost", verbose_name="岗位", null=True, blank=True, on_delete=models.PROTECT
    )
    is_team_leader = models.BooleanField("班组长", default=False)  # isTeamLeader
    entry_date = models.DateField("进场日期", db_index=True)
    exit_date = models.DateField("退场日期", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RosterEntryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "花名册记录"
        ordering = ["-entry_date", "-id"]
        constraints = [
            # A person is on site at most once per project at a time.
            models.UniqueConstraint(
                fields=["project", "person"],
                condition=models.Q(exit_date__isnull=True),
                name="one_open_stay_per_project",
            ),
            models.CheckConstraint(
                name="roster_exit_not_before_entry",
                condition=models.Q(exit_date__isnull=True) | models.Q(exit_date__gte=models.F("entry_date")),
            ),
        ]
        indexes = [
            models.Index(fields=["project", "exit_date"]),
            # 项目总览's latest 进场 (newest entry_date first) of one project: with only entry_date
            # indexed, PostgreSQL walked the whole city's stays by date to find a project whose
            # people came long ago (240 ms at 800,000 stays, bench/README.md "Province scale").
            models.Index(fields=["project", "entry_date"], name="roster_project_entry_date"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} @ {self.project_id}"

    @property
    def is_on_site(self) -> bool:
        return self.exit_date is None

    @property
    def status_label(self) -> str:
        return "在场" if self.is_on_site else "离场"

    @property
    def role_label(self) -> str:
        """工种 for workers, 岗位 for managers."""
        item = self.post if self.category == PersonCategory.MANAGER else self.work_type
        return item.name if item else ""


class ProjectSiteCount(models.Model):
    """How many stays of a project are on site (exactly `RosterEntry.objects.on_site()`), so the
    supervisor dashboard and the project list read one number per project instead of counting the
    city's roster on every request.

    Kept by the DATABASE, not by Python: the triggers of migration 0007_project_site_counts apply every INSERT, UPDATE
    and DELETE of the roster (services, 批量人员进场, API, admin, the benchmark's COPY, raw SQL).
    Nothing in the platform writes this table except those triggers and `recount_on_site`, which
    rebuilds it from the rows after a manual repair. A project without a row has nobody on site.

    A table of its own rather than a column on projects.Project: Project.save() writes every
    column, so a project loaded before a roster change and saved after it (its info page, the admin,
    the review) would put back a stale count; and the projects floor stays ignorant of the roster.
    """

    project = models.OneToOneField(
        "projects.Project",
        verbose_name="项目",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="site_count",
    )
    on_site_count = models.IntegerField("在场人数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "项目在场人数"

    def __str__(self) -> str:
        return f"{self.project_id}: {self.on_site_count}"


from .models_face import FaceMatch, FaceMatchMethod, FaceMatchStatus  # noqa: E402, F401  (Django finds models here)
from .models_import import ImportBatch, ImportBatchStatus  # noqa: E402, F401  (registered with the app's models)
from .models_records import CollectedRecord  # noqa: E402, F401  (registered with the app's models)
