"""Why is a page slow? Every SQL query of one GET, timed, and EXPLAIN ANALYZE of the slowest ones.

    .venv-bench/bin/python -m bench.explain /projects/1/roster/ [--user bench_jgf] [--top 3]

With --profile the request runs once more under cProfile (where the Python time goes).
Runs against the bench database (BENCH_DATABASE_URL) with its keys, through Django's test Client
with the session of the given user (default: the big project's own account).
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--user", default="")
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="also cProfile the request (Python time)")
    args = parser.parse_args()

    from bench import setup

    url = setup.bench_url()
    os.environ.update(setup.production_environment(url, setup.bench_keys(url), "/tmp/jmzhgd-bench"))
    import django

    django.setup()
    import json

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.dataset import MARKER_KEY, read_meta
    from bench.harness import session_cookie
    from jmzhgd.accounts.models import User

    marker = json.loads(read_meta(MARKER_KEY))
    user = User.objects.get(username=args.user or marker["project_username"])
    client = Client(HTTP_HOST="127.0.0.1")
    name, key = session_cookie(user)
    client.cookies[name] = key
    client.get(args.path)

    def get():
        response = client.get(args.path)
        if getattr(response, "streaming", False):
            for _ in response.streaming_content:
                pass
        return response

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = get()
        total = time.perf_counter() - started
    captured = list(queries.captured_queries)  # the next request's request_started signal clears them
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(get)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    print(f"HTTP {response.status_code}, {total * 1000:.0f} ms in-process, {len(captured)} queries")
    ranked = sorted(captured, key=lambda q: float(q["time"]), reverse=True)
    for query in captured:
        print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:220]}")
    with connection.cursor() as cursor:
        for query in ranked[: args.top]:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            print("\n" + "=" * 100 + "\n" + query["sql"][:2000])
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
