"""Run one export through its view in a fresh process and report the peak RSS growth it caused.

    python -m bench.export_memory <path?query> <session cookie name> <session key>

The environment is the harness's (bench database, production settings). A one-day export first
loads every module and template, so the growth measured is the export's own: peak RSS
(resource.getrusage ru_maxrss, kB on Linux) after the full export minus the peak before it.
Prints one JSON line.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from urllib.parse import parse_qsl, urlencode, urlsplit


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(path: str, cookie_name: str, session_key: str) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[cookie_name] = session_key
    parts = urlsplit(path)
    query = dict(parse_qsl(parts.query))
    warm = f"{parts.path}?{urlencode({**query, 'date_to': query.get('date_from', '')})}"

    def export(url: str) -> tuple[int, int]:
        response = client.get(url)
        size = 0
        if getattr(response, "streaming", False):
            for chunk in response.streaming_content:
                size += len(chunk)
        else:
            size = len(response.content)
        return response.status_code, size

    at_start = _peak_mb()
    export(warm)
    before = _peak_mb()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        status, size = export(path)
    seconds = time.perf_counter() - started
    after = _peak_mb()
    return {
        "status": status,
        "bytes": size,
        "seconds": round(seconds, 2),
        "peak_rss_at_start_mb": round(at_start, 1),
        "peak_rss_before_mb": round(before, 1),
        "peak_rss_after_mb": round(after, 1),
        "growth_mb": round(after - before, 1),
        "queries": len(queries.captured_queries),
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
