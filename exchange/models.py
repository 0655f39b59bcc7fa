"""数据对接: the outbound queue of records for the provincial platform (docs/domain.md §2).

One OutboundRecord per record the standard knows (a unit, a team, a worker's stay, one punch …),
keyed by (method, object_key) so a rescan never queues the same record twice. Records sent together
share a ProvinceRequest: the province answers a write with a request serial code and the outcome
is polled later (AsyncHandleResult.Query, dictionary 6.53: 0 待处理 / 10 处理失败 / 20 处理成功).
"""

from __future__ import annotations

from django.db import models

from enterprises.models import ProjectScopedQuerySet
from jmzhgd.core.pii import EncryptedTextField


class RecordStatus(models.TextChoices):
    INVALID = "invalid", "本地校验未通过"
    QUEUED = "queued", "待推送"
    SENDING = "sending", "推送中"
    SENT = "sent", "已推送待回执"
    ACCEPTED = "accepted", "省平台已接收"
    REFUSED = "refused", "省平台退回"


class AsyncStatus(models.TextChoices):
    """异步处理结果状态 (national dictionary 6.53)."""

    PENDING = "0", "待处理"
    FAILED = "10", "处理失败"
    SUCCEEDED = "20", "处理成功"


class ProvinceRequest(models.Model):
    """One write sent to the province, answered later under its request serial code."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField("接口", max_length=40)
    serial_code = models.CharField("请求流水号", max_length=64, db_index=True)
    status = models.CharField(
        "处理状态", max_length=2, choices=AsyncStatus.choices, default=AsyncStatus.PENDING
    )
    sent_at = models.DateTimeField("推送时间")
    polls = models.PositiveIntegerField("查询次数", default=0)
    next_poll_at = models.DateTimeField("下次查询时间", db_index=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "省平台请求"
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.method} {self.serial_code}"


class OutboundRecord(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField("接口", max_length=40)  # e.g. "Team.Add"
    rank = models.PositiveSmallIntegerField("推送顺序")  # the standard's order: unit < team < worker < …
    object_key = models.CharField("对象标识", max_length=40)  # the source row's id (entry/exit: "1:<id>")
    label = models.CharField("对象", max_length=200, blank=True)  # no ID numbers: names and dates only
    fingerprint = models.CharField("内容摘要", max_length=64, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=RecordStatus.choices, default=RecordStatus.QUEUED, db_index=True
    )
    message = models.CharField("说明", max_length=500, blank=True)  # the province's or the local refusal
    attempts = models.PositiveIntegerField("推送次数", default=0)
    next_attempt_at = models.DateTimeField("下次推送时间", null=True, blank=True)
    claim = models.CharField("领取标记", max_length=32, blank=True)
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    request = models.ForeignKey(
        ProvinceRequest,
        verbose_name="省平台请求",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )
    result = models.JSONField("省平台返回", null=True, blank=True)  # Team.Add: {"teamSysNo": …}
    # The province holds this record (accepted once, or answered 已存在): an edit goes as *.Update,
    # and records that refer to it need not wait while the edit is on its way.
    known = models.BooleanField("省平台已有", default=False)
    created_at = models.DateTimeField("入队时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "数据对接记录"
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "method", "object_key"], name="one_record_per_object"),
        ]
        indexes = [models.Index(fields=["status", "rank", "id"]), models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return f"{self.method} {self.label}"


class SyncCursor(models.Model):
    """Where the last scan of a project's changes stopped (exchange.services.enqueue_changes)."""

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="+"
    )
    scanned_at = models.DateTimeField("上次扫描时间")

    class Meta:
        verbose_name = verbose_name_plural = "数据对接扫描位置"

    def __str__(self) -> str:
        return f"{self.project_id} {self.scanned_at}"


class ProvinceCredential(models.Model):
    """A project's credentials on the provincial platform (docs/domain.md §2.1): the appid is the
    project's national project code, the secret signs every request and, unless the deployment sets
    PROVINCE_AES_KEY, is also the AES key of the ID and card numbers. Entered by a supervisor for each
    project or imported from the province's list (`manage.py import_province_credentials`)."""

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="province_credential"
    )
    appid = models.CharField("appid（全国项目编码）", max_length=64)
    secret = EncryptedTextField("密钥（appsecret）")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "省平台对接凭据"

    def __str__(self) -> str:
        return f"{self.appid}"


def held_worker_messages(project, person) -> list[str]:
    """Why the province has not been sent this person's stay in `project` (数据对接 holds it
    locally: 缺少人员照片 or another required field), for the person page."""
    from workforce.models import RosterEntry

    keys = [
        str(pk)
        for pk in RosterEntry.objects.filter(project=project, person=person).values_list("pk", flat=True)
    ]
    return list(
        OutboundRecord.objects.filter(
            project=project, method="ProjectWorker.Add", object_key__in=keys, status=RecordStatus.INVALID
        ).values_list("message", flat=True)
    )
