"""Answers under the API prefix that Django or django-ninja produce by themselves, in the API's
JSON error format."""

from __future__ import annotations

from .errors import status_response


class ApiMethodNotAllowedMiddleware:
    """django-ninja answers a method a path does not take with plain text: the API's JSON error
    instead, keeping the `Allow` header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 405
            or not request.path_info.startswith("/api/")
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        answer = status_response(405)
        answer["Allow"] = response.get("Allow", "")
        return answer
