"""API credentials, used nonces and collection-app tokens (docs/requirements.md §10).

Why the secret is stored *encrypted* and not hashed: the server has to compute the same
HMAC-SHA256 as the client to verify a signature, so it needs the secret itself; a one-way hash
could only check a secret that the client sends, which signing exists to avoid. The secret is
therefore encrypted at rest with the platform's PII keys (jmzhgd.core.pii, Fernet with rotation),
never stored or logged in clear, and shown exactly once when the credential is created. (A secret
derived from a server key would need no storage, but could never be revoked or rotated alone.)

Bearer tokens are different: the client sends the token itself, so only its SHA-256 is stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jmzhgd.core import pii


class ApiCredentialQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Credentials bound to at least one project the user may see."""
        from projects.models import Project

        return self.filter(projects__in=Project.objects.visible_to(user)).distinct()

    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiCredential(models.Model):
    name = models.CharField("用途说明", max_length=100, help_text="例如：某某考勤机厂商、某某采集APP")
    app_key = models.CharField("App Key", max_length=32, unique=True)
    secret_encrypted = models.TextField("App Secret（加密保存）", editable=False)
    projects = models.ManyToManyField(
        "projects.Project", verbose_name="授权项目", related_name="api_credentials"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="吊销人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField("最后使用", null=True, blank=True)
    last_used_ip = models.GenericIPAddressField("最后使用IP", null=True, blank=True)

    objects = ApiCredentialQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "接口凭证"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.app_key}）"

    @property
    def secret(self) -> str:
        return pii.decrypt(self.secret_encrypted)

    def set_secret(self, secret: str) -> None:
        self.secret_encrypted = pii.encrypt(secret)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def status_label(self) -> str:
        return "有效" if self.is_active else "已吊销"


class ApiNonce(models.Model):
    """A nonce seen with a valid signature; a repeat within the time window is refused, except the
    resend of a signed write that succeeded, which is answered with the stored response
    (jmzhgd.api.idempotency: the row of a write is written in the write's own transaction).

    Rows older than the window can never match again (their timestamp would be refused first), so
    they are purged from time to time (`purge_expired_nonces`).
    """

    app_key = models.CharField(max_length=32)
    nonce = models.CharField(max_length=64)
    timestamp = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Of a signed write that succeeded: its X-Sign (a resend must carry the same) and its answer.
    # (Database defaults: the nonce is inserted by plain SQL, jmzhgd.api.auth._use_nonce.)
    signature = models.CharField(max_length=64, blank=True, db_default="")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_type = models.CharField(max_length=100, blank=True, db_default="")
    response_body = models.TextField(blank=True, db_default="")

    class Meta:
        verbose_name = verbose_name_plural = "接口请求随机数"
        constraints = [models.UniqueConstraint(fields=["app_key", "nonce"], name="unique_api_nonce")]

    def __str__(self) -> str:
        return f"{self.app_key} {self.nonce}"


class ApiToken(models.Model):
    """A short-lived bearer token from the collection-app login; only its SHA-256 is stored."""

    token_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="项目账号", on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    expires_at = models.DateTimeField("过期时间", db_index=True)
    ip = models.GenericIPAddressField("登录IP", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "采集APP令牌"

    def __str__(self) -> str:
        return f"{self.user_id} → {self.expires_at:%Y-%m-%d %H:%M}"
