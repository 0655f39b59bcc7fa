"""/healthz for load balancers and monitoring: the database answers and private media is writable.

Public and cheap; it reveals nothing but "ok" or which dependency failed.
"""

from __future__ import annotations

import os
import tempfile

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 — any failure means "not healthy"; details go to the log, not the caller
        checks["database"] = "error"
    try:
        os.makedirs(settings.MEDIA_ROOT, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.MEDIA_ROOT, prefix=".healthz-"):
            pass
        checks["media"] = "ok"
    except OSError:
        checks["media"] = "error"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
