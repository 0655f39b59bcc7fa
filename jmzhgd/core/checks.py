"""System checks for the keys that protect ID numbers (docs/requirements.md §11 PII): a malformed key would only
show at the first encryption, and a short digest key makes the ID-number digests guessable (the
digest is over 18-digit numbers, so the key is the only secret in it)."""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register

# HMAC-SHA256's block of security: a key shorter than the hash output weakens the digest.
# `secrets.token_urlsafe(32)` (43 characters, the value .ci/run and docs/deploy.md generate) passes.
MIN_DIGEST_KEY_BYTES = 32


@register(Tags.security)
def check_pii_encryption_keys(app_configs, **kwargs):
    keys = list(getattr(settings, "PII_ENCRYPTION_KEYS", []) or [])
    if not keys:
        return [Error("PII_ENCRYPTION_KEYS 未配置任何密钥。", id="jmzhgd.E001")]
    errors = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            errors.append(
                Error(
                    f"PII_ENCRYPTION_KEYS 的第 {position} 个密钥不是有效的 Fernet 密钥。",
                    hint="用 python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())' 生成（32 字节，URL 安全的 Base64）。",
                    id="jmzhgd.E001",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_pii_digest_key(app_configs, **kwargs):
    key = getattr(settings, "PII_DIGEST_KEY", "") or ""
    if len(key.encode("utf-8")) >= MIN_DIGEST_KEY_BYTES:
        return []
    return [
        Error(
            f"PII_DIGEST_KEY 过短：至少需要 {MIN_DIGEST_KEY_BYTES} 字节。",
            hint="用 python -c 'import secrets; print(secrets.token_urlsafe(32))' 生成；"
            "已有数据后不可更换（身份证号的查重和精确查询依赖它）。",
            id="jmzhgd.E002",
        )
    ]
