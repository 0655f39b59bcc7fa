"""Run one export through its view in a fresh process and report the peak RSS growth it caused.

    python -m bench.export_memory <path?query> <session cookie name> <session key>

The environment is the harness's (bench database, production settings). A one-day export first
loads every module and template, so the growth measured is the export's own: the larger of the
rise in peak RSS (resource.getrusage ru_maxrss) over the full export and the rise of the current
RSS (/proc/self/statm, sampled at every streamed chunk) above its value just before.
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


def _current_mb() -> float:
    """Resident set size now (Linux /proc), sampled while the export streams."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


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

    samples: list[float] = []

    def export(url: str) -> tuple[int, int]:
        response = client.get(url)
        size = 0
        if getattr(response, "streaming", False):
            for chunk in response.streaming_content:
                size += len(chunk)
                samples.append(_current_mb())
        else:
            size = len(response.content)
        samples.append(_current_mb())
        return response.status_code, size

    at_start = _peak_mb()
    export(warm)
    before = _peak_mb()
    samples.clear()
    rss_before = _current_mb()
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
        "rss_before_mb": round(rss_before, 1),
        "rss_max_during_mb": round(max(samples), 1),
        # The larger of: the rise of the process's peak RSS, the rise of its RSS while streaming.
        "growth_mb": round(max(after - before, max(samples) - rss_before), 1),
        "queries": len(queries.captured_queries),
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
