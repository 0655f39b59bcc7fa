"""企业库 (shared by every project), 参建单位 (an enterprise's participation in one project) and 班组.

Why units and teams live here and not split between projects/ and workforce/ (docs/architecture.md §2): they are the
organisational structure that hangs off an enterprise inside a project, they change together (a unit's
exit exits its teams) and one feature (docs/requirements.md §5–§6) owns them, so keeping them in one app keeps that
feature's rules in one services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jmzhgd.core.codes import CorpType, District, EnterpriseRegType, TeamType
from jmzhgd.core.pii import DigestField, EncryptedTextField, MaskedIdField


class Enterprise(models.Model):
    """One enterprise, unique by 统一社会信用代码 (Corp.Upload)."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)  # corpCode
    name = models.CharField("企业名称", max_length=200, db_index=True)  # corpName
    reg_type = models.CharField(  # corpType (登记注册类型)
        "企业登记注册类型", max_length=3, choices=EnterpriseRegType.choices, blank=True
    )
    legal_rep = models.CharField("法定代表人", max_length=50, blank=True)  # legalMan
    registered_capital = models.DecimalField(  # regCapital
        "注册资本(万元)", max_digits=18, decimal_places=4, null=True, blank=True
    )
    established_on = models.DateField("成立日期", null=True, blank=True)  # establishDate
    address = models.CharField("注册地址", max_length=200, blank=True)  # address
    district = models.CharField("所在区县", max_length=6, choices=District.choices, blank=True)  # areaCode
    contact_name = models.CharField("联系人", max_length=50, blank=True)  # linkMan
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)  # linkPhone
    qualification_category = models.CharField("资质类别", max_length=100, blank=True)
    qualification_grade = models.CharField("资质等级", max_length=50, blank=True)
    qualification_cert_no = models.CharField("资质证书编号", max_length=50, blank=True)
    licence_scan = models.FileField("营业执照扫描件", upload_to="enterprises/licences/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ProjectScopedQuerySet(models.QuerySet):
    """Rows that belong to a project: visible when the project is (docs/architecture.md pattern 1)."""

    def visible_to(self, user):
        from projects.models import Project

        return self.filter(project__in=Project.objects.visible_to(user))


class ParticipatingUnitQuerySet(ProjectScopedQuerySet):
    def on_site(self):
        return self.filter(exit_date__isnull=True)

    def with_counts(self):
        """Teams and workers on site per unit, in the same query (the list shows them per row)."""
        return self.select_related("enterprise").annotate(
            teams_on_site=models.Count(
                "teams", filter=models.Q(teams__exit_date__isnull=True), distinct=True
            ),
            workers_on_site=models.Count(
                "roster", filter=models.Q(roster__exit_date__isnull=True), distinct=True
            ),
        )


class ParticipatingUnit(models.Model):
    """参建单位 = (project, enterprise, 参建单位类型): a link to the library, never a copy.

    `entry_date`/`exit_date` are the current stay; every stay, including earlier ones after a
    re-entry, is kept in UnitStay.
    """

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="units"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="participations"
    )
    corp_type = models.CharField("参建单位类型", max_length=3, choices=CorpType.choices)  # corpType
    entry_date = models.DateField("进场日期")  # entryTime
    exit_date = models.DateField("退场日期", null=True, blank=True)  # exitTime
    pm_name = models.CharField("项目负责人", max_length=50, blank=True)  # pmName
    pm_id_number = EncryptedTextField("项目负责人身份证号", blank=True)  # pmIDCardNumber
    pm_id_number_digest = DigestField(source="pm_id_number")
    pm_id_number_masked = MaskedIdField(source="pm_id_number")
    pm_phone = models.CharField("项目负责人电话", max_length=20, blank=True)  # pmPhone
    wage_bank_name = models.CharField("工资发放银行", max_length=100, blank=True)  # bankInfos.bankName
    wage_bank_account = models.CharField("工资发放账号", max_length=40, blank=True)  # bankInfos.bankNumber
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ParticipatingUnitQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "参建单位"
        ordering = ["project", "corp_type", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "enterprise", "corp_type"], name="unique_unit_per_project_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name}（{self.get_corp_type_display()}）"

    @property
    def is_on_site(self) -> bool:
        return self.exit_date is None

    @property
    def status_label(self) -> str:
        return "在场" if self.is_on_site else "已退场"


class UnitStay(models.Model):
    """One entry→exit stay of a participating unit; history survives re-entry."""

    unit = models.ForeignKey(
        ParticipatingUnit, verbose_name="参建单位", on_delete=models.CASCADE, related_name="stays"
    )
    entry_date = models.DateField("进场日期")
    exit_date = models.DateField("退场日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "参建单位进退场记录"
        ordering = ["unit", "entry_date", "id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.entry_date}—{self.exit_date or ''}"


class TeamQuerySet(ProjectScopedQuerySet):
    def on_site(self):
        return self.filter(exit_date__isnull=True)

    def normal(self):
        return self.exclude(team_type=TeamType.MANAGEMENT)

    def management(self):
        return self.filter(team_type=TeamType.MANAGEMENT)

    def with_counts(self):
        return self.select_related("unit__enterprise").annotate(
            members_on_site=models.Count("roster", filter=models.Q(roster__exit_date__isnull=True))
        )


class Team(models.Model):
    """班组 (TeamMaster). `project` repeats the unit's project so scoping needs no join."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="teams"
    )
    unit = models.ForeignKey(
        ParticipatingUnit, verbose_name="所属参建单位", on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField("班组名称", max_length=100)  # teamName
    team_type = models.CharField("班组类型", max_length=16, choices=TeamType.choices)
    leader_name = models.CharField("班组长姓名", max_length=50, blank=True)  # teamLeaderName
    leader_phone = models.CharField("班组长电话", max_length=20, blank=True)
    leader_id_number = EncryptedTextField("班组长身份证号", blank=True)
    leader_id_number_digest = DigestField(source="leader_id_number")
    leader_id_number_masked = MaskedIdField(source="leader_id_number")
    responsible_name = models.CharField("责任人姓名", max_length=50, blank=True)  # responsiblePersonName
    responsible_phone = models.CharField("责任人电话", max_length=20, blank=True)
    responsible_id_number = EncryptedTextField("责任人身份证号", blank=True)
    responsible_id_number_digest = DigestField(source="responsible_id_number")
    responsible_id_number_masked = MaskedIdField(source="responsible_id_number")
    entry_date = models.DateField("进场日期")
    exit_date = models.DateField("退场日期", null=True, blank=True)
    remark = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "班组"
        ordering = ["project", "unit", "id"]
        constraints = [
            # teamName: "同一个项目和参建单位下面不能重复"
            models.UniqueConstraint(fields=["unit", "name"], name="unique_team_name_per_unit"),
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(team_type="management"),
                name="one_management_team_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_management(self) -> bool:
        return self.team_type == TeamType.MANAGEMENT

    @property
    def is_on_site(self) -> bool:
        return self.exit_date is None

    @property
    def status_label(self) -> str:
        return "在场" if self.is_on_site else "已退场"
