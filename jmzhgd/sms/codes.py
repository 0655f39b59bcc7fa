"""One-time codes by SMS (docs/sms.md): six digits, valid for five minutes, used once, five wrong
tries void the code. Sends are limited per phone and per IP address (core's shared rate counters);
the phone and the code never reach a log, the database keeps only their keyed digests.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from jmzhgd.core import ratelimit
from jmzhgd.core.pii import phone_digest, phone_digits

from .backends import SmsError, backend
from .models import VerificationCode

VALID_FOR = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 5


def _hash(salt: str, code: str) -> str:
    key = settings.PII_DIGEST_KEY.encode()
    return salt + "$" + hmac.new(key, f"sms:{salt}:{code}".encode(), hashlib.sha256).hexdigest()[:40]


def _limited(key: str, name: str, limit: int, seconds: int) -> bool:
    return ratelimit.over_limit(key, ratelimit.Rule(name, limit, seconds))


def send_code(phone: str, purpose: str, ip: str | None) -> VerificationCode:
    """Send a new code to `phone` for `purpose`; a refusal (limit, bad number, gateway) is a
    ValidationError in Chinese that names neither the phone nor the code."""
    digits = phone_digits(phone)
    if len(digits) != 11 or not digits.startswith("1"):
        raise ValidationError("登记的手机号不是有效的手机号码，请联系项目部更正。")
    digest = phone_digest(digits)
    for limit, seconds in settings.SMS_PHONE_LIMITS:
        if _limited(digest, f"sms-phone-{seconds}", limit, seconds):
            raise ValidationError(f"验证码发送过于频繁，请 {max(seconds // 60, 1)} 分钟后再试。")
    ip_limit, ip_seconds = settings.SMS_IP_LIMIT
    if _limited(ip or "unknown", "sms-ip", ip_limit, ip_seconds):
        raise ValidationError(f"验证码发送过于频繁，请 {max(ip_seconds // 60, 1)} 分钟后再试。")
    code = f"{secrets.randbelow(10**6):06d}"
    record = VerificationCode.objects.create(
        purpose=purpose,
        phone_digest=digest,
        code_hash=_hash(secrets.token_hex(8), code),
        ip=ip,
        expires_at=timezone.now() + VALID_FOR,
    )
    try:
        backend().send(digits, [code, str(int(VALID_FOR.total_seconds() // 60))])
    except SmsError as exc:
        VerificationCode.objects.filter(pk=record.pk).update(expires_at=timezone.now())
        raise ValidationError(f"验证码短信未能发出（{exc.code}），请稍后再试。") from None
    return record


def verify_code(phone: str, purpose: str, code: str) -> VerificationCode:
    """The code last sent to `phone` for `purpose`, now used; ValidationError when wrong, expired,
    used already or tried too often. Not one transaction: a wrong try must stay counted when the
    refusal propagates; the code is taken by one conditional update, so two requests cannot both use it."""
    digest = phone_digest(phone)
    record = (
        VerificationCode.objects.filter(purpose=purpose, phone_digest=digest)
        .order_by("-created_at", "-id")
        .first()
    )
    now = timezone.now()
    if record is None or record.used_at is not None:
        raise ValidationError("验证码无效，请重新获取。")
    if record.expires_at <= now or record.attempts >= MAX_ATTEMPTS:
        raise ValidationError("验证码已失效，请重新获取。")
    salt = record.code_hash.partition("$")[0]
    typed = "".join(ch for ch in str(code or "") if ch.isdigit())[:6]
    if not hmac.compare_digest(_hash(salt, typed), record.code_hash):
        VerificationCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
        raise ValidationError("验证码不正确。")
    taken = VerificationCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=now)
    if not taken:
        raise ValidationError("验证码无效，请重新获取。")
    record.used_at = now
    return record
