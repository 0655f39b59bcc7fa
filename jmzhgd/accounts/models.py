"""Platform accounts and their roles (docs/requirements.md §1)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from jmzhgd.core.codes import District


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", "监管方"
    PROJECT = "project", "项目账号"
    ADMIN = "admin", "管理员"
    # A project-issued phone account that may only send 移动考勤 punches for its project
    # (docs/geofence.md): jmzhgd.accounts.middleware keeps it on that page.
    ATTENDANT = "attendant", "考勤员"


PROJECT_BOUND_ROLES = (Role.PROJECT, Role.ATTENDANT)


class User(AbstractUser):
    """One account. A 项目账号 is bound to exactly one project; a 监管方 may be limited to 区县.

    Administrators are Django superusers (role 管理员); they work through the Django admin.
    """

    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.SUPERVISOR)
    real_name = models.CharField("姓名/名称", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="所属项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    districts = models.JSONField(
        "监管区县",
        default=list,
        blank=True,
        help_text="监管方可查看的区县代码；留空表示全市。",
    )
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)

    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = "账号"
        constraints = [
            models.CheckConstraint(
                name="project_account_has_project",
                condition=(
                    models.Q(role__in=["project", "attendant"], project__isnull=False)
                    | ~models.Q(role__in=["project", "attendant"])
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username}（{self.display_name}）" if self.real_name else self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR and not self.is_superuser

    @property
    def is_project_user(self) -> bool:
        return self.role == Role.PROJECT and self.project_id is not None and not self.is_superuser

    @property
    def is_attendant(self) -> bool:
        return self.role == Role.ATTENDANT and self.project_id is not None and not self.is_superuser

    @property
    def district_labels(self) -> str:
        labels = dict(District.choices)
        return "、".join(labels.get(d, d) for d in self.districts) or "全市"

    def clean(self) -> None:
        super().clean()
        if self.role in PROJECT_BOUND_ROLES and not self.project_id:
            raise ValidationError({"project": "项目账号和考勤员账号必须绑定一个项目。"})
        if self.role not in PROJECT_BOUND_ROLES and self.project_id:
            raise ValidationError({"project": "只有项目账号和考勤员账号可以绑定项目。"})
        unknown = [d for d in self.districts if d not in District.values]
        if unknown:
            raise ValidationError({"districts": f"未知的区县代码：{'、'.join(unknown)}"})
