"""Logins, failed logins and logouts go to the audit log (docs/requirements.md §11)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor, client_ip

from .login_notice import failed_login_summary, previous_login_notice
from .middleware import AUTH_AT


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    """The absolute session lifetime counts from here (jmzhgd.accounts.middleware)."""
    if request is not None and hasattr(request, "session"):
        request.session[AUTH_AT] = int(time.time())


# Connected before audit_login (receivers run in that order): the notice is about the login
# before this one.
@receiver(user_logged_in)
def tell_about_the_previous_login(sender, request, user, **kwargs):
    notice = previous_login_notice(user)
    if notice is not None and request is not None:
        message, warning = notice
        level = messages.WARNING if warning else messages.INFO
        messages.add_message(request, level, message, fail_silently=True)


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
    audit.record(actor, "auth.login_failed", summary=failed_login_summary(username))
