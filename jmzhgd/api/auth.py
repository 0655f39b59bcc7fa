"""Who is calling the API: a signed credential (devices, vendors) or a collection-app token.

Both auth classes return an `ApiClient`, which ninja puts on `request.auth`. Every endpoint then
resolves its project with `client_project(request, project_id)`: a project the client is not
bound to is a 404 JSON answer, exactly like a project that does not exist (docs/requirements.md §1).
"""

from __future__ import annotations

import datetime
import hashlib
import random
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.security.base import AuthBase

from jmzhgd.core import pii, rawsql
from jmzhgd.core.actor import Actor, client_ip

from . import idempotency
from .errors import ApiError, not_found
from .models import ApiCredential, ApiNonce, ApiToken
from .signing import sign, signature_matches

NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# How often a request also purges expired nonces (cheap, indexed delete; no scheduler needed).
NONCE_PURGE_PROBABILITY = 0.01
# last_used_at is written at most this often per credential, so busy devices do not queue on one row.
LAST_USED_RESOLUTION = timedelta(seconds=60)


@dataclass
class ApiClient:
    label: str
    project_ids: frozenset[int]
    ip: str | None = None
    credential_id: int | None = None
    token: ApiToken | None = None
    extra: dict = field(default_factory=dict)

    @property
    def actor(self) -> Actor:
        user = self.token.user if self.token is not None else None
        return Actor(user=user, ip=self.ip, label=self.label)


# A JSON escape for NUL (an odd number of backslashes before u0000); raw control characters are
# invalid JSON already. PostgreSQL can neither store nor query text containing NUL.
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def check_body_size(request: HttpRequest) -> None:
    """Refuse a large body before reading it (413), then a body whose text contains NUL (422)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.API_MAX_BODY_BYTES
    if length > limit:
        raise ApiError(413, "body_too_large", f"请求体不能超过 {limit // (1024 * 1024)} MB。")
    body = request.body
    # The substring test first: scanning a 10 KB batch with the escape-aware pattern on every
    # request was measurable; only a body that mentions u0000 at all needs it.
    if b"u0000" in body.lower() and JSON_NUL.search(body):
        raise ApiError(422, "nul_character", "请求中的文本不能包含空字符（\\u0000）。")


def purge_expired_nonces(now: float | None = None) -> int:
    """Delete nonces whose timestamp window has passed; they can never be accepted again anyway."""
    cutoff = timezone.now() - timedelta(seconds=2 * settings.API_SIGNATURE_WINDOW_SECONDS)
    deleted, _ = ApiNonce.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _header(request: HttpRequest, name: str, field_name: str) -> str:
    value = request.headers.get(name, "").strip()
    if not value:
        raise ApiError(401, "missing_header", f"缺少请求头 {name}。", field_name)
    return value


class SignedRequest(AuthBase):
    """X-App-Key + X-Timestamp + X-Nonce + X-Sign (HMAC-SHA256), see jmzhgd.api.signing."""

    openapi_type = "apiKey"
    openapi_in = "header"
    openapi_name = "X-Sign"
    openapi_description = (
        "签名认证：请求头 X-App-Key、X-Timestamp（Unix 秒）、X-Nonce（8–64 位字母数字）、"
        "X-Sign = hex(HMAC-SHA256(AppSecret, METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(请求体)))）。"
    )

    def __call__(self, request: HttpRequest) -> ApiClient | None:
        if not request.headers.get("X-App-Key"):
            return None  # not a signed request: another auth method may apply
        check_body_size(request)
        app_key = _header(request, "X-App-Key", "X-App-Key")
        timestamp = _header(request, "X-Timestamp", "X-Timestamp")
        nonce = _header(request, "X-Nonce", "X-Nonce")
        given = _header(request, "X-Sign", "X-Sign")

        if not timestamp.isdigit() or len(timestamp) > 12:
            raise ApiError(401, "bad_timestamp", "X-Timestamp 应为 Unix 时间戳（秒）。", "X-Timestamp")
        window = settings.API_SIGNATURE_WINDOW_SECONDS
        if abs(time.time() - int(timestamp)) > window:
            raise ApiError(
                401,
                "stale_timestamp",
                f"请求时间戳与服务器时间相差超过 {window} 秒，请校准设备时钟。",
                "X-Timestamp",
            )
        if not NONCE_RE.match(nonce):
            raise ApiError(401, "bad_nonce", "X-Nonce 应为 8–64 位字母、数字、下划线或连字符。", "X-Nonce")

        credential = _active_credential(app_key)
        # An unknown key and a wrong signature answer alike, so keys cannot be probed.
        expected = (
            sign(credential.secret, request.method, request.get_full_path(), timestamp, nonce, request.body)
            if credential is not None
            else sign("-", request.method, request.get_full_path(), timestamp, nonce, b"")
        )
        if credential is None or not signature_matches(expected, given):
            raise ApiError(
                401, "bad_signature", "签名验证失败，请检查 App Key、App Secret 和签名算法。", "X-Sign"
            )
        claim = idempotency.claim_for(request)
        if not _use_nonce(app_key, nonce, int(timestamp)):
            if claim is not None:  # a signed write: its resend is answered, not refused
                idempotency.replay_or_refuse(app_key, nonce, given)
            raise ApiError(
                401, "replayed_nonce", "该 X-Nonce 已使用过，请为每个请求生成新的随机数。", "X-Nonce"
            )
        if claim is not None:
            claim.app_key, claim.nonce, claim.signature = app_key, nonce, given
        if random.random() < NONCE_PURGE_PROBABILITY:
            purge_expired_nonces()

        ip = client_ip(request)
        now = timezone.now()
        if credential.last_used_at is None or now - credential.last_used_at > LAST_USED_RESOLUTION:
            ApiCredential.objects.filter(pk=credential.pk).update(last_used_at=now, last_used_ip=ip)
        return ApiClient(
            label=f"接口客户端 {app_key}",
            project_ids=credential.project_ids,
            ip=ip,
            credential_id=credential.pk,
        )


@dataclass(frozen=True)
class ActiveCredential:
    """What signing needs of an unrevoked credential, read with one statement."""

    pk: int
    secret_encrypted: str
    last_used_at: datetime.datetime | None
    project_ids: frozenset[int]

    @property
    def secret(self) -> str:
        return _decrypted_secret(self.secret_encrypted, tuple(settings.PII_ENCRYPTION_KEYS))


@lru_cache(maxsize=1024)
def _decrypted_secret(secret_encrypted: str, keys: tuple[str, ...]) -> str:
    """A credential's secret, decrypted once per worker: a device signs every request with it, and
    Fernet's decryption was a visible share of a small request. Keyed by the ciphertext (a new secret
    is a new ciphertext) and the keys; whether the credential is still active is read from the
    database on every request, never from here."""
    return pii.decrypt(secret_encrypted)


def _active_credential(app_key: str) -> ActiveCredential | None:
    """The unrevoked credential with this key and the projects it is bound to (hot path: plain SQL,
    see jmzhgd.core.rawsql)."""
    connection = rawsql.connection_for(ApiCredential)
    through = ApiCredential.projects.through
    pk, secret, last_used, key, revoked = rawsql.columns(
        connection, ApiCredential, "id", "secret_encrypted", "last_used_at", "app_key", "revoked_at"
    )
    owner, project = rawsql.columns(connection, through, "apicredential", "project")
    sql = (
        f"SELECT c.{pk}, c.{secret}, c.{last_used}, b.{project} "
        f"FROM {rawsql.table(connection, ApiCredential)} c "
        f"LEFT JOIN {rawsql.table(connection, through)} b ON b.{owner} = c.{pk} "
        f"WHERE c.{key} = %s AND c.{revoked} IS NULL"
    )
    with rawsql.cursor(connection) as cursor:
        cursor.execute(sql, [app_key])
        rows = cursor.fetchall()
    if not rows:
        return None
    return ActiveCredential(
        pk=rows[0][0],
        secret_encrypted=rows[0][1],
        last_used_at=rawsql.aware(rows[0][2]),
        project_ids=frozenset(row[3] for row in rows if row[3] is not None),
    )


def _use_nonce(app_key: str, nonce: str, timestamp: int) -> bool:
    """Record the nonce; False when this key has used it before (one statement, no savepoint).

    A signed write calls it inside its own transaction (jmzhgd.api.idempotency), so the nonce is
    kept only if the write is; a read records it at once, as below.

    On PostgreSQL, run as its own transaction (as the API runs it), the statement commits without
    waiting for the WAL flush (synchronous_commit off for it alone): one flush fewer per API
    request. Nothing a replay could exploit is lost by it: a request that then writes anything
    commits synchronously, which flushes the WAL up to and including its nonce; only the nonces of
    requests that wrote nothing could vanish in a database crash, and replaying those writes
    nothing either."""
    connection = rawsql.connection_for(ApiNonce)
    names = rawsql.columns(connection, ApiNonce, "app_key", "nonce", "timestamp", "created_at")
    id_column = rawsql.columns(connection, ApiNonce, "id")[0]
    insert = f"INSERT INTO {rawsql.table(connection, ApiNonce)} ({', '.join(names)}) "
    # Only as a transaction of its own: inside a caller's transaction the setting would cover the
    # caller's writes too.
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        sql = (
            "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)) "
            f"{insert} SELECT %s, %s, %s, %s FROM relaxed "
        )
    else:
        sql = f"{insert} VALUES (%s, %s, %s, %s) "
    sql += f"ON CONFLICT DO NOTHING RETURNING {id_column}"
    with rawsql.cursor(connection) as cursor:
        cursor.execute(
            sql, [app_key, nonce, timestamp, connection.ops.adapt_datetimefield_value(timezone.now())]
        )
        return cursor.fetchone() is not None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class BearerToken(HttpBearer):
    """Authorization: Bearer <token> from POST /api/v1/auth/token (collection app, docs/requirements.md §10)."""

    openapi_description = (
        "采集APP令牌：用项目账号登录 /api/v1/auth/token 获得，请求头 Authorization: Bearer <token>。"
    )

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        check_body_size(request)
        record = (
            ApiToken.objects.filter(token_hash=token_hash(token.strip()), expires_at__gt=timezone.now())
            .select_related("user")
            .first()
        )
        if record is None or not record.user.is_active or record.user.project_id != record.project_id:
            raise ApiError(401, "bad_token", "令牌无效或已过期，请重新登录。", "Authorization")
        return ApiClient(
            label=f"采集APP {record.user.username}",
            project_ids=frozenset({record.project_id}),
            ip=client_ip(request),
            token=record,
        )


SIGNED = [SignedRequest()]
SIGNED_OR_TOKEN = [SignedRequest(), BearerToken()]


def client_project_id(request: HttpRequest, project_id: int) -> int:
    """`project_id` if the calling client is bound to it; a 404 JSON answer otherwise. Without a
    query: a binding refers to an existing project (foreign key), and projects are never deleted."""
    if project_id not in request.auth.project_ids:
        raise not_found("项目不存在或未授权给该接口凭证。", "project_id")
    return project_id


def client_project(request: HttpRequest, project_id: int):
    """The project `project_id` if the calling client is bound to it; a 404 JSON answer otherwise."""
    from projects.models import Project

    project = Project.objects.filter(pk=client_project_id(request, project_id)).first()
    if project is None:
        raise not_found("项目不存在或未授权给该接口凭证。", "project_id")
    return project
