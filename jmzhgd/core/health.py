"""/healthz for load balancers and monitoring (docs/deploy.md "Monitoring").

Two kinds of check:
- **the web's own** (the database answers, private media is writable by the web's user): a
  failure answers 503, so a load balancer takes this web server out of rotation;
- **the background workers'** (registered by apps: jmzhgd.jobs checks that some `db_worker` wrote a
  heartbeat lately and that the worker's own user could write the media directory): reported in
  the answer always, and answered 503 only with `?workers=1` — a stopped worker must page the
  operator, not take every web server out of the load balancer.

Public and cheap; it reveals nothing but "ok" or which dependency failed.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

# name -> check() returning "ok" or a short failure word (e.g. "stale", "error")
_WORKER_CHECKS: dict[str, Callable[[], str]] = {}


def worker_check(name: str) -> Callable[[Callable[[], str]], Callable[[], str]]:
    def register(check: Callable[[], str]) -> Callable[[], str]:
        _WORKER_CHECKS[name] = check
        return check

    return register


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _media() -> str:
    os.makedirs(settings.MEDIA_ROOT, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=settings.MEDIA_ROOT, prefix=".healthz-"):
        pass
    return "ok"


def _run(name: str, check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception as exc:  # noqa: BLE001 — any failure means "not healthy"; details go to the log, not the caller
        logger.error("healthz: %s failed: %s", name, exc)
        return "error"


@never_cache
def healthz(request):
    checks = {"database": _run("database", _database), "media": _run("media", _media)}
    web_healthy = all(v == "ok" for v in checks.values())
    for name, check in sorted(_WORKER_CHECKS.items()):
        checks[name] = _run(name, check) if checks["database"] == "ok" else "unknown"
    healthy = all(v == "ok" for v in checks.values())
    strict = request.GET.get("workers") == "1"
    status_ok = healthy if strict else web_healthy
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if status_ok else 503
    )
