"""The load run: wrk mixes the busiest pages with API pushes for a minute; no error may occur."""

from __future__ import annotations

import json
import subprocess

from bench import yardsticks
from bench.harness import ROOT, WORK, Bench, Row, wrk_path
from bench.signed_api import ApiTarget, api_ok, write_signed_requests

LOAD_API_EVERY = 4  # one request in four is an API push of 10 punches
LOAD_BATCH = 10


def load_run(bench: Bench) -> None:
    seconds = bench.load_seconds
    target = f"{seconds} s, 0 errors"
    wrk = wrk_path()
    if wrk is None:
        bench.rows.append(Row("load run (wrk)", "", target, False, note="missing: wrk (apt-get install wrk)"))
        return
    api = ApiTarget(bench)
    try:
        entry = bench.entry_on_site(3)
        project = bench.project_cookie
        supervisor = bench.supervisor_cookie
        pages = [
            (project, bench.url("workforce:roster", project_id=bench.project_id)),
            (project, bench.url("workforce:roster", "page=20", project_id=bench.project_id)),
            (
                project,
                bench.url("workforce:person_detail", project_id=bench.project_id, person_id=entry.person_id),
            ),
            (
                project,
                bench.url(
                    "attendance:month", f"month={bench.month_start:%Y-%m}", project_id=bench.project_id
                ),
            ),
            (project, bench.url("projects:overview", project_id=bench.project_id)),
            (supervisor, bench.url("projects:dashboard")),
        ]
        pages = [(cookie, path) for cookie, path in pages if path]
        WORK.mkdir(parents=True, exist_ok=True)
        config = WORK / "load.tsv"
        n_api = bench.sizes.load_pushes
        base = api.slots(n_api * LOAD_BATCH)
        with config.open("w", encoding="utf-8") as out:
            out.write(f"K\t{api.app_key}\n")
            for cookie, path in pages:
                out.write(f"P\t{cookie[0]}={cookie[1]}\t{path}\n")
            write_signed_requests(
                out, api, [api.body(api.records(i * LOAD_BATCH, LOAD_BATCH, base)) for i in range(n_api)]
            )
        summary_path = WORK / "load-summary.json"
        summary_path.unlink(missing_ok=True)
        command = [
            wrk,
            "-t2",
            "-c8",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(ROOT / "bench/load.lua"),
            f"http://127.0.0.1:{bench.port}",
            "--",
            str(config),
            str(LOAD_API_EVERY),
            str(summary_path),
        ]
        bench.log(f"  load run: wrk {seconds} s against gunicorn …")
        completed = subprocess.run(
            command, cwd=ROOT / "bench", capture_output=True, text=True, timeout=seconds + 120
        )
        (WORK / "wrk.out").write_text(completed.stdout + completed.stderr, encoding="utf-8")
        summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
        errors = (
            sum(summary.get(k, 0) for k in ("connect", "read", "write", "timeout", "status", "bad"))
            if summary
            else None
        )
        requests_ = summary.get("requests", 0)
        duration = summary.get("duration_us", 0) / 1e6 or seconds
        rate = requests_ / duration if duration else 0
        passed = completed.returncode == 0 and summary and errors == 0 and requests_ > 0 and api_ok(summary)
        row = Row(
            "load run (wrk): pages + API pushes",
            f"{len(pages)} pages + API (1 in {LOAD_API_EVERY}, {LOAD_BATCH} punches), 2 threads × 8 connections",
            target,
            bool(passed),
            summary.get("latency_p50_ms"),
            summary.get("latency_p95_ms"),
            None,
            note=(
                f"{rate:,.0f} requests/s ({requests_:,} in {duration:.0f} s; {summary.get('api', 0):,} API pushes); "
                f"errors {errors} ({ {k: summary.get(k, 0) for k in ('connect', 'read', 'write', 'timeout', 'status', 'bad')} })"
                if summary
                else f"wrk failed: {completed.stderr[-300:]}"
            ),
            extra=summary,
        )
        if summary.get("latency_p50_ms"):
            # No timing target (the row asks for no errors): the ratio is there to read, not judged.
            yardsticks.judge(
                row, "select_page", bench.yardstick("select_page"), summary["latency_p50_ms"], None
            )
        bench.rows.append(row)
        bench.log(f"  load run: {rate:,.0f} requests/s, errors {errors}")
    finally:
        api.cleanup()
