"""【我的导出】: one row per export that runs as a background job (docs/jobs.md).

The row is what the user sees (state, progress, size, download); the job engine's own task row
(django_tasks_db) only carries the call. The file is private: it lives under MEDIA_ROOT, which has
no public URL, and is served by an access-checked view only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.http import QueryDict


class ExportState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    READY = "ready", "可下载"
    FAILED = "failed", "失败"


FINAL_STATES = (ExportState.READY, ExportState.FAILED)


class ExportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ExportQuerySet:
        """A user's own exports of projects he may still see (docs/architecture.md pattern 1): another user's
        export, or one of a project taken out of his scope since, does not exist for him."""
        from projects.models import Project

        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(user=user, project__in=Project.objects.visible_to(user))


class Export(models.Model):
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # names the stored file
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.CASCADE, related_name="exports"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="exports"
    )
    exporter = models.CharField("导出类型", max_length=64)
    label = models.CharField("导出内容", max_length=200)
    filename = models.CharField("文件名", max_length=255)
    params = models.JSONField("筛选条件", default=dict, blank=True)
    state = models.CharField("状态", max_length=16, choices=ExportState.choices, default=ExportState.QUEUED)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    done_rows = models.PositiveIntegerField("已写行数", default=0)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    file = models.FileField("文件", upload_to="exports/", blank=True)
    size = models.PositiveBigIntegerField("文件大小", default=0)
    error = models.CharField("失败原因", max_length=200, blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    created_at = models.DateTimeField("导出时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进度时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "导出文件"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"]), models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.label}（{self.get_state_display()}）"

    @property
    def storage_name(self) -> str:
        """Where the finished file is stored; fixed per export, so a retry or a purge finds what an
        interrupted attempt may have left."""
        return f"exports/{self.token.hex}.xlsx"

    @property
    def percent(self) -> int:
        if self.state == ExportState.READY:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.done_rows * 100 // self.total_rows)

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    def query(self) -> QueryDict:
        """The filters as the page sent them (lists kept: a filter may repeat a name)."""
        data = QueryDict(mutable=True)
        for key, values in self.params.items():
            data.setlist(key, [str(v) for v in values])
        return data
