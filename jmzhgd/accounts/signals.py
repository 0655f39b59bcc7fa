"""Logins, failed logins and logouts go to the audit log (SPEC §11)."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor, client_ip

from .middleware import AUTH_AT


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    """The absolute session lifetime counts from here (jmzhgd.accounts.middleware)."""
    if request is not None and hasattr(request, "session"):
        request.session[AUTH_AT] = int(time.time())


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    actor = Actor(user=user, ip=client_ip(request) if request else None)
    audit.record(actor, "auth.login", user, project=user.project, summary="登录成功")


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        actor = Actor(user=user, ip=client_ip(request) if request else None)
        audit.record(actor, "auth.logout", user, project=user.project, summary="退出登录")


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:100]
    actor = Actor(ip=client_ip(request) if request else None, label=f"未登录（账号 {username}）")
    audit.record(actor, "auth.login_failed", summary=f"登录失败：账号 {username}")
