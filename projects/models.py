"""Projects (项目库). National field names (Project.Add) are given beside each field."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jmzhgd.core.codes import ConstructionNature, District, ProjectCategory, ProjectStatus


def scope_by_role(queryset, user, *, own_project=None):
    """Rows of `queryset` (which has a `district` field) that `user` may see (docs/requirements.md §1): administrators
    all, supervisors their 区县 (all when none are listed), a project account what `own_project(user)`
    selects (a Q), anyone else nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.is_supervisor:
        return queryset.filter(district__in=user.districts) if user.districts else queryset
    if user.is_project_user and own_project is not None:
        return queryset.filter(own_project(user))
    return queryset.none()


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        """The projects `user` may see: the one scoping rule every page starts from."""
        return scope_by_role(self, user, own_project=lambda u: models.Q(pk=u.project_id))


class Project(models.Model):
    code = models.CharField("项目编码", max_length=32, unique=True)  # projectCode
    name = models.CharField("项目名称", max_length=200)  # name
    category = models.CharField("项目分类", max_length=2, choices=ProjectCategory.choices)  # category
    nature = models.CharField("建设性质", max_length=3, choices=ConstructionNature.choices)  # propertyNum
    district = models.CharField("所在区县", max_length=6, choices=District.choices, db_index=True)  # areaCode
    address = models.CharField("项目地址", max_length=200)  # address
    builder_name = models.CharField("建设单位名称", max_length=200)  # buildCorpName
    builder_code = models.CharField("建设单位统一社会信用代码", max_length=18)  # buildCorpCode
    contractor_name = models.CharField("总承包单位名称", max_length=200)  # contractorCorpName
    contractor_code = models.CharField("总承包单位统一社会信用代码", max_length=18)  # contractorCorpCode
    total_investment = models.DecimalField(  # invest
        "总投资(万元)", max_digits=14, decimal_places=4, null=True, blank=True
    )
    building_area = models.DecimalField(  # buildingArea
        "建筑面积(m²)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    start_date = models.DateField("开工日期", null=True, blank=True)  # startDate
    planned_completion_date = models.DateField("计划竣工日期", null=True, blank=True)
    completion_date = models.DateField("竣工日期", null=True, blank=True)  # completeDate
    contact_name = models.CharField("联系人", max_length=50, blank=True)  # linkMan
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)  # linkPhone
    description = models.TextField("项目简介", max_length=1000, blank=True)  # description
    status = models.CharField(  # prjStatus
        "项目状态", max_length=3, choices=ProjectStatus.choices, default=ProjectStatus.UNDER_CONSTRUCTION
    )
    # Superseded by wages.WageAccount (the number encrypted); blanked by wages' migration 0002 and no
    # longer written. Dropping the columns is a later projects migration.
    wage_bank_name = models.CharField("工资专户开户银行", max_length=100, blank=True)
    wage_account_no = models.CharField("工资专户账号", max_length=40, blank=True)
    labour_manager_name = models.CharField("劳资专管员姓名", max_length=50, blank=True)
    labour_manager_phone = models.CharField("劳资专管员电话", max_length=20, blank=True)
    place_code = models.CharField("场所码ID", max_length=64, blank=True)  # 粤省事 场所码, opaque
    place_code_image = models.FileField("场所码二维码", upload_to="projects/place_codes/", blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)  # WGS-84
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    # 电子围栏 for phone attendance on works without a gate (projects.geofence; docs/geofence.md).
    site_fences = models.JSONField("电子围栏", default=list, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "项目"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "district"])]

    def __str__(self) -> str:
        return self.name


class ConstructionPermit(models.Model):
    """施工许可证 (Project.Add builderLicenses[]): a project may hold several."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="permits"
    )
    number = models.CharField("施工许可证号", max_length=50)  # builderLicenseNum
    scope_name = models.CharField(  # prjName: the part of the project the permit covers
        "许可工程名称", max_length=200, blank=True
    )
    issued_on = models.DateField("发证日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "施工许可证"
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_permit_per_project"),
        ]

    def __str__(self) -> str:
        return self.number


class DeclarationStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已驳回"


class DeclarationQuerySet(models.QuerySet):
    def visible_to(self, user) -> DeclarationQuerySet:
        """Supervisors review the declarations of their 区县; project accounts see none."""
        return scope_by_role(self, user)


class Declaration(models.Model):
    """项目申报 (docs/requirements.md §3): a public request for a project and its account, reviewed by a supervisor.

    The fields mirror Project's so approval copies them across; `number` is what the declarant
    keeps to ask for the progress (申报进度查询, together with the contact phone).
    """

    number = models.CharField("申报编号", max_length=20, unique=True)
    name = models.CharField("项目名称", max_length=200)
    category = models.CharField("项目分类", max_length=2, choices=ProjectCategory.choices)
    nature = models.CharField("建设性质", max_length=3, choices=ConstructionNature.choices)
    district = models.CharField("所在区县", max_length=6, choices=District.choices, db_index=True)
    address = models.CharField("项目地址", max_length=200)
    builder_name = models.CharField("建设单位名称", max_length=200)
    builder_code = models.CharField("建设单位统一社会信用代码", max_length=18)
    contractor_name = models.CharField("总承包单位名称", max_length=200)
    contractor_code = models.CharField("总承包单位统一社会信用代码", max_length=18)
    permit_number = models.CharField("施工许可证号", max_length=50, blank=True)
    total_investment = models.DecimalField(
        "总投资(万元)", max_digits=14, decimal_places=4, null=True, blank=True
    )
    building_area = models.DecimalField(
        "建筑面积(m²)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    start_date = models.DateField("开工日期", null=True, blank=True)
    planned_completion_date = models.DateField("计划竣工日期", null=True, blank=True)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)
    description = models.TextField("项目简介", max_length=1000, blank=True)
    status = models.CharField(
        "审核状态", max_length=16, choices=DeclarationStatus.choices, default=DeclarationStatus.PENDING
    )
    reject_reason = models.TextField("驳回原因", max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    project = models.OneToOneField(
        Project,
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="declaration",
    )
    submitted_ip = models.GenericIPAddressField("提交IP", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "项目申报"
        ordering = ["-created_at", "-id"]
        constraints = [
            # The duplicate check in services.submit_declaration, made race-proof.
            models.UniqueConstraint(
                fields=["name", "builder_code"],
                condition=models.Q(status="pending"),
                name="one_pending_declaration_per_name_builder",
                violation_error_message="该项目已有一份待审核的申报（项目名称与建设单位相同），请勿重复申报。",
            ),
        ]
        indexes = [models.Index(fields=["submitted_ip", "created_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_pending(self) -> bool:
        return self.status == DeclarationStatus.PENDING


class DeclarationAttachment(models.Model):
    """An attachment of a declaration (jpg/png/pdf, checked and re-encoded); private."""

    declaration = models.ForeignKey(
        Declaration, verbose_name="申报", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("附件", upload_to="projects/declarations/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    size = models.PositiveIntegerField("大小(字节)", default=0)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "申报附件"
        ordering = ["declaration", "id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name
