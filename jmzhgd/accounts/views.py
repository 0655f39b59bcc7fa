from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from .forms import LoginForm, PlatformPasswordChangeForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def admin_login(request, extra_context=None):
    """The admin's login page (AdminSite.login, see jmzhgd/urls.py): staff sign in through the
    platform's own login, with its captcha, lockout and rate limit; the admin's own form had none
    of them. A signed-in account without admin rights is told so (no redirect loop back here)."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url, reverse("accounts:login"))
    if request.user.is_active and request.user.is_staff:
        return redirect(next_url)
    raise PermissionDenied("该账号没有系统管理权限。")


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET)."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PlatformPasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        forced = user.must_change_password
        if forced:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        update_session_auth_hash(self.request, user)
        audit.record(
            Actor.from_request(self.request),
            "auth.password_change",
            user,
            project=user.project,
            summary="修改初始密码" if forced else "修改密码",
        )
        messages.success(self.request, "密码已修改。")
        return response


def lockout_response(request, original_response=None, credentials=None):
    """django-axes: the login page again, with a Chinese lockout message (HTTP 429)."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm(request)
    context = {
        "form": form,
        "locked_out": True,
        "lockout_message": f"登录失败次数过多，该账号在本机已被锁定，请 {minutes} 分钟后再试。如需帮助请联系技术服务支持。",
    }
    return render(request, "accounts/login.html", context, status=429)
