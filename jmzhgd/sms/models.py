"""One-time codes sent to a phone (docs/sms.md). Neither the phone nor the code is stored: the phone
as its keyed digest (jmzhgd.core.pii.phone_digest), the code as a keyed hash bound to this row."""

from __future__ import annotations

from django.db import models


class VerificationCode(models.Model):
    purpose = models.CharField("用途", max_length=32)
    phone_digest = models.CharField("手机号摘要", max_length=64)
    code_hash = models.CharField("验证码摘要", max_length=64)
    ip = models.GenericIPAddressField("请求IP", null=True, blank=True)
    created_at = models.DateTimeField("发送时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("错误次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "短信验证码"
        indexes = [models.Index(fields=["purpose", "phone_digest", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} #{self.pk}"
