"""Pages for answers Django leaves blank."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from .views import error_404


class MethodNotAllowedPageMiddleware:
    """A POST-only page opened by GET (a reload, a bookmark, the login redirect after a session
    expired) answers 405 with an empty body; show a Chinese page that leads back instead. The API's
    paths get their JSON error from jmzhgd.api.middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path_info.startswith("/api/"):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


class PrivateNoStoreMiddleware:
    """Whatever a signed-in account is shown (pages, exports, ID-card images) carries personal
    data: no browser, shared computer's cache or proxy may keep it (`Cache-Control: no-store,
    private`). The API too, whole: its answers are for one client (a roster, a new app token) and
    none is worth caching. After AuthenticationMiddleware, so `request.user` is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path_info.startswith("/api/") or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response


class DebugNotFoundPageMiddleware:
    """With DEBUG on (`make run`, the demo) Django answers a 404 with its technical page, which lists
    every URL pattern in English; a mistyped address shows the platform's own 404 page there too.
    Without DEBUG this does nothing: Django already uses handler404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG and not request.path_info.startswith("/api/"):
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                # CommonMiddleware, outside this one, still adds a missing trailing slash.
                return error_404(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404) and not request.path_info.startswith("/api/"):
            return error_404(request)
        return None
