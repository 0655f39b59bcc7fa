"""Content-Security-Policy (docs/requirements.md §11): only the platform's own assets, plus the configured map-tile host.

Scripts: 'self' and a per-request nonce (templates write <script nonce="{{ request.csp_nonce }}"> for the
few inline blocks); no 'unsafe-inline', no eval. Styles allow inline style attributes ('unsafe-inline'
for style-src only), which Bootstrap components and Leaflet set at run time and cannot carry a nonce.
Images: 'self', data:/blob: (thumbnails before upload, Leaflet) and the tile host.
"""

from __future__ import annotations

import secrets
from functools import cached_property
from urllib.parse import urlsplit

from django.conf import settings


def tile_sources() -> list[str]:
    """The scheme://host of MAP_TILE_URL, with a {s} subdomain placeholder turned into a wildcard."""
    url = getattr(settings, "MAP_TILE_URL", "")
    if not url:
        return []
    parts = urlsplit(url.replace("{s}", "SUBDOMAIN"))
    if not parts.scheme or not parts.netloc:
        return []
    host = parts.netloc.replace("SUBDOMAIN", "*")
    return [f"{parts.scheme}://{host}"]


def build_policy(nonce: str) -> str:
    tiles = " ".join(tile_sources())
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {tiles}".strip(),
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


class _LazyNonce:
    @cached_property
    def value(self) -> str:
        return secrets.token_urlsafe(16)

    def __str__(self) -> str:
        return self.value


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        nonce = _LazyNonce()
        request.csp_nonce = nonce
        response = self.get_response(request)
        # Views that set their own (stricter) policy, such as private file downloads, keep it.
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = build_policy(nonce.value)
        return response
