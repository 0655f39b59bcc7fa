"""批量人员进场: one upload's batch, its counts, report and background commit (workforce.imports)."""

from __future__ import annotations

from django.db import models

from enterprises.models import ProjectScopedQuerySet


class ImportBatchStatus(models.TextChoices):
    PREVIEW = "preview", "待确认"
    IMPORTED = "imported", "已导入"
    ABANDONED = "abandoned", "已放弃"
    # A commit of more than IMPORT_JOB_THRESHOLD_ROWS rows runs as a background job
    # (workforce.imports.job, docs/jobs.md): 导入中 while queued or running, 导入失败 with a reason
    # when it could not finish (nothing written; the batch may be imported again or abandoned).
    IMPORTING = "importing", "导入中"
    FAILED = "failed", "导入失败"


class ImportBatch(models.Model):
    """One 批量人员进场 upload (workforce.imports): the original file, the counts and the report.

    The report rows (JSON) carry the row number, name, masked ID number and the problems only;
    the ID numbers as typed stay in the original file, which is private and served through an
    access-checked view.
    """

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="import_batches"
    )
    uploaded_by = models.ForeignKey(
        "accounts.User", verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)
    file_name = models.CharField("文件名", max_length=255)
    original_file = models.FileField("原始文件", upload_to="imports/roster/%Y/%m/")
    status = models.CharField(
        "状态", max_length=16, choices=ImportBatchStatus.choices, default=ImportBatchStatus.PREVIEW
    )
    total_rows = models.PositiveIntegerField("总行数", default=0)
    entered_count = models.PositiveIntegerField("成功进场", default=0)
    failed_count = models.PositiveIntegerField("失败", default=0)
    report = models.JSONField("校验报告", default=list, blank=True)
    # The background commit (workforce.imports.job): who asked for it (his right is checked again
    # when the job runs), whether he confirmed the warnings, and the job's coarse progress.
    committed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirm_warnings = models.BooleanField("已确认提醒", default=False)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进度时间", null=True, blank=True)
    error = models.CharField("失败原因", max_length=200, blank=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "批量进场记录"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"
