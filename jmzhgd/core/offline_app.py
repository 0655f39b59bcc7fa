"""Phone pages that open with no connection (docs/offline-collection.md §2): one service worker and
one manifest for every such page (人员采集, 移动考勤), each with its own page URL and asset list.

The service worker is a template so that it names the static files by their collected names (hashed
in production): when they change, the worker changes and the phone takes the new one. It is served
under the page's own path so that its scope is exactly the page."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static

# What base.html loads: every offline page needs it.
BASE_ASSETS = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "css/platform.css",
    "img/favicon.svg",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "js/platform.js",
    "js/offline-queue.js",
)
ICONS = (("img/collect-192.png", "192x192"), ("img/collect-512.png", "512x512"))


def service_worker(
    request, *, name: str, page: str, assets: list[str], network_first: list[str] = ()
) -> HttpResponse:
    """The worker for `page`: precaches the page and BASE_ASSETS + `assets` (static paths) at install;
    `network_first` are GET paths (lookups) answered from the network, else from the last copy kept."""
    urls = [static(path) for path in (*BASE_ASSETS, ICONS[0][0], *assets)]
    version = hashlib.sha256("\n".join(urls).encode()).hexdigest()[:12]
    values = {
        "cache_name": f"{name}-{version}",
        "cache_prefix": f"{name}-",
        "precache": [page, *urls],
        "page": page,
        "network_first": list(network_first),
    }
    context = {key: json.dumps(value, ensure_ascii=False) for key, value in values.items()}
    response = render(request, "core/offline_sw.js", context, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


def manifest(*, name: str, short_name: str, page: str) -> JsonResponse:
    """The web app manifest: the page installs on the phone's home screen and opens full screen."""
    body = {
        "name": name,
        "short_name": short_name,
        "lang": "zh-CN",
        "start_url": page,
        "scope": page,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [{"src": static(path), "sizes": size, "type": "image/png"} for path, size in ICONS],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
