"""Punch ingestion through the signed API (bench/signed_api.py), in batches and as single requests,
each judged on its rate over a bare bulk_create of punches measured in the same run.

The probe punches are deleted afterwards (the "no hard delete of punches" rule protects real data,
not a benchmark's probe rows).
"""

from __future__ import annotations

import json
import signal
import subprocess
import time

from bench import yardsticks
from bench.harness import ROOT, WORK, Bench, Row, wrk_path
from bench.signed_api import ApiTarget, write_signed_requests

BATCH = 100
# wrk threads and connections: six uploads in flight at once, as six devices pushing together.
CLIENT_THREADS = 2
CLIENT_CONNECTIONS = 6


def _send(bench: Bench, api: ApiTarget, bodies: list[bytes]) -> tuple[dict, list[str], float]:
    """POST every body once with wrk (bench/ingest.lua) over CLIENT_CONNECTIONS connections;
    returns (wrk's summary, problems, wall seconds from the client's start up to the last answer)."""
    wrk = wrk_path()
    if wrk is None:
        raise RuntimeError("missing: wrk (apt-get install wrk)")
    WORK.mkdir(parents=True, exist_ok=True)
    requests_path, summary_path = WORK / "ingest.tsv", WORK / "ingest-summary.json"
    with requests_path.open("w", encoding="utf-8") as out:
        out.write(f"K\t{api.app_key}\n")
        write_signed_requests(out, api, bodies)
    summary_path.unlink(missing_ok=True)
    threads = min(CLIENT_THREADS, len(bodies))
    command = [
        wrk,
        f"-t{threads}",
        f"-c{max(threads, CLIENT_CONNECTIONS)}",
        "-d120s",  # stopped by the harness once every thread has its last answer
        "--timeout",
        "60s",
        "-s",
        str(ROOT / "bench/ingest.lua"),
        f"http://127.0.0.1:{bench.port}",
        "--",
        str(requests_path),
        str(summary_path),
        str(threads),
    ]
    launched = time.perf_counter()
    # From bench/, where the scripts find their shared module (require "wrk_signed").
    process = subprocess.Popen(
        command, cwd=ROOT / "bench", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # Timed from the first thread's "ready" (its share read, about to send) to the last "done":
    # wrk starts each thread as soon as it is ready, and reading the file is the client's setup.
    started, finished = None, 0
    for line in process.stdout:
        if line.strip() == "ready" and started is None:
            started = time.perf_counter()
        finished += line.strip() == "done"
        if finished == threads:
            break
    wall = time.perf_counter() - (started or launched)  # a wrk that never got ready is reported below
    process.send_signal(signal.SIGINT)  # wrk then reports and runs the script's done()
    _, errors = process.communicate(timeout=60)
    problems = []
    if finished < threads:
        problems.append(f"wrk ended before every answer: {errors[-300:]}")
    summary = (
        json.loads(summary_path.read_text(encoding="utf-8", errors="replace"))
        if summary_path.exists()
        else {}
    )
    if not summary:
        problems.append(f"wrk wrote no summary: {errors[-300:]}")
    elif summary["answered"] != len(bodies) or summary["bad"]:
        problems.append(
            f"{summary['answered']} of {len(bodies)} answered, {summary['bad']} bad: {summary['first_bad']}"
        )
    return summary, problems, wall


def _wal_position() -> str | None:
    """PostgreSQL's current WAL position (None on SQLite, the smoke test's second engine)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def _wal_bytes_since(position: str | None) -> int | None:
    """WAL written since `position`: what an upload costs the disk and every replica (the
    province arithmetic in bench/README.md). The bench is the only writer while it runs."""
    if position is None:
        return None
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn)::bigint", [position])
        return cursor.fetchone()[0]


def _api_queries(api: ApiTarget, records: list[dict], warm_up: list[dict]) -> int:
    """Statements of one request in steady state: after a warm-up request on the same connection
    (the first one also creates the session's staging table), as the pages are counted."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")

    def post(batch: list[dict]):
        body = api.body(batch)
        response = client.post(
            api.path, data=body, content_type="application/json", headers=api.headers(body)
        )
        if response.status_code != 200:
            raise RuntimeError(
                f"in-process API call answered {response.status_code}: {response.content[:200]!r}"
            )

    post(warm_up)
    with CaptureQueriesContext(connection) as queries:
        post(records)
    return len(queries.captured_queries)


def _measure(
    bench: Bench, api: ApiTarget, scenario: str, *, total: int, per_request: int, target, note, extra
):
    """Send `total` punches in requests of `per_request` with wrk (CLIENT_CONNECTIONS uploads in
    flight) on fresh time slots, add the row and return the rate (punches a second; with one punch
    a request, that is requests a second)."""
    base = api.slots(total)
    bodies = [api.body(api.records(i * per_request, per_request, base)) for i in range(total // per_request)]
    wal_before = _wal_position()
    summary, problems, wall = _send(bench, api, bodies)
    rate = total / wall
    wal = _wal_bytes_since(wal_before)
    probe = api.slots(2 * per_request)
    queries = _api_queries(
        api, api.records(0, per_request, probe), api.records(per_request, per_request, probe)
    )
    label, minimum = target
    unit = "punches" if per_request > 1 else "requests"
    row = Row(
        scenario,
        f"{total:,} {unit}, wrk with {CLIENT_CONNECTIONS} connections",
        label,
        not problems,
        summary.get("latency_p50_ms"),
        summary.get("latency_p95_ms"),
        queries,
        note=note(rate) + (f"; {len(problems)} problems: {problems[0]}" if problems else ""),
        extra={**extra(rate), **({"wal_bytes_per_punch": round(wal / total)} if wal is not None else {})},
    )
    yardsticks.judge(row, "bulk_create", bench.yardstick("bulk_create"), rate, minimum)
    bench.rows.append(row)
    return rate


def ingest(bench: Bench) -> None:
    api = ApiTarget(bench)
    try:
        # Warm-up: one punch for everybody on the roster, spread over the workers (each worker
        # memoises the validation and encryption of the numbers it has seen, as it would after a
        # few minutes in production); then the measured runs on fresh time slots.
        warm_count = min(len(api.numbers), bench.sizes.batched_punches)
        warm = api.slots(warm_count)
        warm_bodies = [
            api.body(api.records(i, min(BATCH, warm_count - i), warm)) for i in range(0, warm_count, BATCH)
        ]
        _send(bench, api, warm_bodies)
        batched, single = bench.sizes.batched_punches, bench.sizes.single_requests
        bare = bench.yardstick("bulk_create")
        rate = _measure(
            bench,
            api,
            "punch ingestion, batches of 100",
            total=batched,
            per_request=BATCH,
            target=("≥ 20,000 punches/s", 20_000),
            note=lambda rate: (
                f"{rate:,.0f} punches/s; bare bulk_create of punches for the same persons {bare:,.0f}/s "
                f"(API = {rate / bare:.2f}× bare)"
            ),
            extra=lambda rate: {"punches_per_second": round(rate), "bare_insert_per_second": round(bare)},
        )
        bench.log(f"  ingestion batched: {rate:,.0f} punches/s (bare {bare:,.0f}/s)")
        rate = _measure(
            bench,
            api,
            "punch ingestion, single requests",
            total=single,
            per_request=1,
            target=("≥ 300 requests/s", 300),
            note=lambda rate: f"{rate:,.0f} requests/s",
            extra=lambda rate: {"requests_per_second": round(rate)},
        )
        bench.log(f"  ingestion single: {rate:,.0f} requests/s")
    finally:
        api.cleanup()
