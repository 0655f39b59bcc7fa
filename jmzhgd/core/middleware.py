"""Pages for answers Django leaves blank."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import patch_cache_control


class MethodNotAllowedPageMiddleware:
    """A POST-only page opened by GET (a reload, a bookmark, the login redirect after a session
    expired) answers 405 with an empty body; show a Chinese page that leads back instead, or under
    the API its JSON error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405:
            return response
        if request.path_info.startswith("/api/"):
            # django-ninja answers a method a path does not take with plain text.
            if response.get("Content-Type", "").startswith("application/json"):
                return response
            from jmzhgd.api.errors import status_response

            page = status_response(405)
        elif not response.content:
            page = render(request, "405.html", status=405)
        else:
            return response
        page["Allow"] = response.get("Allow", "")
        return page


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
