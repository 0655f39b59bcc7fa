"""【我的导出】: one row per export that runs as a background job (docs/jobs.md).

The row is what the user sees (state, progress, size, download); the job engine's own task row
(django_tasks_db) only carries the call. The file is private: it lives under MEDIA_ROOT, which has
no public URL, and is served by an access-checked view only.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.utils import timezone


class ExportState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    READY = "ready", "可下载"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已取消"


# The kinds of file an export stores: a workbook, or a .zip of many files (the project dossier).
STORED_SUFFIXES = (".xlsx", ".zip")
FINAL_STATES = (ExportState.READY, ExportState.FAILED, ExportState.CANCELLED)
# States from which the owner may run the export again (【重试】).
RETRYABLE_STATES = (ExportState.FAILED, ExportState.CANCELLED)


class ExportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ExportQuerySet:
        """A user's own exports of projects he may still see (docs/architecture.md pattern 1): another user's
        export, or one of a project taken out of his scope since, does not exist for him. An export
        of no single project (a supervisor's city or district report, 月报) stays his while he is
        still a supervisor; its figures were drawn from his scope when it was made."""
        from projects.models import Project

        if not user.is_authenticated or not user.is_active:
            return self.none()
        of_projects = models.Q(project__in=Project.objects.visible_to(user))
        if user.is_supervisor or user.is_superuser:
            of_projects |= models.Q(project__isnull=True)
        return self.filter(of_projects, user=user)


class Export(models.Model):
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # names the stored file
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.CASCADE, related_name="exports"
    )
    project = models.ForeignKey(  # none for a report over a supervisor's scope (月报)
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exports",
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
    def is_expired(self) -> bool:
        """Past its retention (settings.EXPORT_RETENTION_DAYS): refused at download, whether or not
        the hourly purge has deleted it yet."""
        kept = datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)
        return self.created_at is not None and self.created_at < timezone.now() - kept

    @property
    def storage_name(self) -> str:
        """Where the finished file is stored; fixed per export, so a retry or a purge finds what an
        interrupted attempt may have left."""
        suffix = PurePath(self.filename).suffix.lower()
        return f"exports/{self.token.hex}{suffix if suffix in STORED_SUFFIXES else '.xlsx'}"

    @property
    def unit(self) -> str:
        """What the progress counts: a workbook's rows, or the files of a .zip (the project dossier)."""
        return "个文件" if self.storage_name.endswith(".zip") else "行"

    @property
    def percent(self) -> int:
        if self.state == ExportState.READY:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.shown_rows * 100 // self.total_rows)

    @property
    def shown_rows(self) -> int:
        """Rows written, never more than the total (the total is counted again by each run)."""
        return min(self.done_rows, self.total_rows) if self.total_rows else self.done_rows

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def can_cancel(self) -> bool:
        return not self.is_final

    @property
    def can_retry(self) -> bool:
        return self.state in RETRYABLE_STATES

    def query(self) -> QueryDict:
        """The filters as the page sent them (lists kept: a filter may repeat a name)."""
        data = QueryDict(mutable=True)
        for key, values in self.params.items():
            data.setlist(key, [str(v) for v in values])
        return data


class WorkerHeartbeat(models.Model):
    """A `db_worker` process says it is alive, which job it runs and whether it can write the media
    directory (docs/jobs.md "Faults"). Written every WORKER_HEARTBEAT_SECONDS by a thread of the
    worker on a connection of its own; read by /healthz and by the stall recovery, which leaves a
    job alone while a live worker names it."""

    worker_id = models.CharField("进程编号", max_length=64, unique=True)
    host = models.CharField("主机", max_length=255)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    seen_at = models.DateTimeField("最近心跳", db_index=True)
    job = models.CharField("正在执行", max_length=100, blank=True)
    media_error = models.CharField("文件目录问题", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台进程心跳"
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
