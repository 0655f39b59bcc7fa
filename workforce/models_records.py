"""采集 records sent by the offline 采集 page (docs/offline-collection.md §3).

The phone names each record with an ID of its own (a random UUID) before it ever reaches the
server; the server keeps the ID with a hash of what was sent and the answer it gave, so a resend
of the same record is answered the same way and writes nothing, while different content under a
used ID is refused (409). Only accepted records are kept: a refused one leaves no row, so the
phone may correct it and send it again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CollectedRecord(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    record_id = models.UUIDField("记录编号")
    content_hash = models.CharField("内容摘要", max_length=64)
    person = models.ForeignKey(
        "workforce.Person", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="人员"
    )
    response = models.JSONField("平台答复", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "离线采集记录"
        constraints = [
            # Per project: a record ID another project happens to send is that project's own record.
            models.UniqueConstraint(fields=["project", "record_id"], name="collected_record_once")
        ]

    def __str__(self) -> str:
        return str(self.record_id)
