"""Shared models: the code tables the bureau extends, and the audit log."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models

from .codes import CorpType


def project_model():
    """The Project model, looked up in the app registry.

    The shell is the lowest floor (README "Floors"): it scopes by project, but names the projects
    app only as Django's own string references do ("projects.Project"), never by importing it.
    """
    return apps.get_model("projects", "Project")


class WorkType(models.Model):
    """工种 (national workType, docs/domain.md §3.2). Seeded by a data migration; admins extend it."""

    code = models.CharField("工种代码", max_length=8, unique=True)
    name = models.CharField("工种名称", max_length=50)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "工种"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ManagementPost(models.Model):
    """管理岗位 (docs/domain.md §3.15), with the 参建单位类型 each post is offered for.

    No national list exists, so this is a local table: the 八大员, the Guangdong posts, the 监理 and
    建设单位 posts. An empty `corp_types` means the post is offered for every unit type.
    """

    code = models.CharField("岗位代码", max_length=8, unique=True)
    name = models.CharField("岗位名称", max_length=50)
    corp_types = models.JSONField(
        "适用参建单位类型",
        default=list,
        blank=True,
        help_text="参建单位类型代码列表；留空表示所有类型均可选。",
    )
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "管理岗位"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def applies_to(self, corp_type: str) -> bool:
        return not self.corp_types or corp_type in self.corp_types

    @property
    def corp_type_labels(self) -> str:
        labels = dict(CorpType.choices)
        return "、".join(labels.get(c, c) for c in self.corp_types) or "全部"


class AuditLogQuerySet(models.QuerySet):
    def visible_to(self, user) -> AuditLogQuerySet:
        """Supervisors read every entry in their scope; a project reads its own (docs/requirements.md §11)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_supervisor:
            if not user.districts:
                return self
            return self.filter(
                models.Q(project__in=project_model().objects.visible_to(user))
                | models.Q(project__isnull=True)
            )
        if user.is_project_user:
            return self.filter(project_id=user.project_id)
        return self.none()


class AuditLog(models.Model):
    """Who did what to which object, when, from where, with before/after values (PII masked).

    Written only through jmzhgd.core.audit.record(), inside the action's transaction, so a rolled
    back action leaves no audit row and a committed one always has its row.
    """

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField("操作人", max_length=150, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    summary = models.CharField("说明", max_length=500, blank=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=255, blank=True)
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", null=True, blank=True, on_delete=models.SET_NULL
    )
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class RateCounter(models.Model):
    """A fixed-window request counter per (rule, client) — see jmzhgd.core.ratelimit.

    Kept in the database so every application server shares it (no cache server needed).
    """

    key = models.CharField("规则与客户端", max_length=200)
    window_start = models.DateTimeField("时间窗开始")
    count = models.PositiveIntegerField("请求次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "访问频率计数"
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="unique_rate_window")]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%H:%M} = {self.count}"
