"""What a user is told on logging in about the account's previous login (ASVS 6.3.5): when and
from where it was, and how many failed attempts were made on the account since. Read from the
audit log (docs/requirements.md §11), where every login and failed login is recorded."""

from __future__ import annotations

from django.utils import timezone

from jmzhgd.core.models import AuditLog


def failed_login_summary(username: str) -> str:
    """The audit summary of a failed login on `username` (jmzhgd.accounts.signals writes it)."""
    return f"登录失败：账号 {username}"


def previous_login_notice(user) -> tuple[str, bool] | None:
    """(message, whether it is a warning) about the account's last login before this one, or None
    on its first login. Called before this login is recorded."""
    previous = AuditLog.objects.filter(action="auth.login", actor=user).order_by("-created_at", "-id").first()
    if previous is None:
        return None
    failed = AuditLog.objects.filter(
        action="auth.login_failed",
        summary=failed_login_summary(user.username),
        created_at__gt=previous.created_at,
    ).count()
    message = f"上次登录：{timezone.localtime(previous.created_at):%Y-%m-%d %H:%M}" + (
        f"（IP {previous.ip}）。" if previous.ip else "。"
    )
    if failed:
        message += f"此后本账号有 {failed} 次登录失败（密码错误）；如非本人操作，请立即修改密码。"
    return message, bool(failed)
