"""Session rules on top of Django's: an absolute lifetime, and the forced first password change."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

AUTH_AT = "auth_at"


class SessionLifetimeMiddleware:
    """A logged-in session ends SESSION_ABSOLUTE_MAX_AGE seconds after its login, however busy it is
    (the inactivity timeout alone slides forever with SESSION_SAVE_EVERY_REQUEST). The login time is
    stored by jmzhgd.accounts.signals; a session from before this rule starts its clock now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(AUTH_AT, now)
            if now - int(started) > settings.SESSION_ABSOLUTE_MAX_AGE:
                logout(request)  # flushes the session: the old key is deleted on the server
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    ALLOWED_PREFIXES = ("/static/", "/captcha/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith(self.ALLOWED_PREFIXES):
                return redirect("accounts:password_change")
        return self.get_response(request)


class AttendantScopeMiddleware:
    """A 考勤员 account (a project's phone for 移动考勤, docs/geofence.md) reaches only the punch page of
    its own project and what signing in and out needs; any other page sends it to that page, and a
    request that is not a page view (a POST elsewhere, a JSON call) is a 404."""

    ALLOWED_NAMES = frozenset(
        {"accounts:logout", "accounts:password_change", "accounts:login"}
        | {
            f"attendance:{n}"
            for n in (
                "fence_punch",
                "fence_punch_workers",
                "fence_punch_submit",
                "fence_punch_roster",
                "fence_punch_sw",
                "fence_punch_manifest",
            )
        }
    )
    ALLOWED_PREFIXES = ("/static/", "/captcha/", "/api/", "/jsi18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_attendant:
            return self.get_response(request)
        if request.path.startswith(self.ALLOWED_PREFIXES):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.view_name in self.ALLOWED_NAMES:
            return self.get_response(request)
        if request.method == "GET":
            return redirect("attendance:fence_punch", project_id=user.project_id)
        raise Http404
