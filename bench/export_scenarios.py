"""Export scenarios: the month grid and the punch details as .xlsx through gunicorn, each judged on
its ratio to a plain openpyxl write-only dump of the same rows from a raw cursor (bench/yardsticks.py).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from bench import yardsticks
from bench.harness import ROOT, Bench, Row, _ms, percentile, request


def month_export(bench: Bench) -> None:
    query = f"month={bench.month_start:%Y-%m}"
    path = bench.url("attendance:month_export", query, project_id=bench.project_id)
    bench.page(
        "month export (.xlsx)",
        f"{bench.on_site_size} × {bench.marker['scale']['days']} days",
        path,
        bench.project_cookie,
        limit_ms=3000,
        samples=5,
        warmup=1,
        what="attendance:month_export",
        yardstick="month_dump",
    )


def details_export(bench: Bench) -> None:
    from attendance.models import Punch

    target = "≤ 15 s, memory growth ≤ 200 MB"
    query = f"date_from={bench.month_start:%Y-%m-%d}&date_to={bench.month_end:%Y-%m-%d}"
    path = bench.url("attendance:details_export", query, project_id=bench.project_id)
    rows = Punch.objects.filter(
        project_id=bench.project_id, work_date__range=(bench.month_start, bench.month_end)
    ).count()
    size = f"{rows:,} rows"
    if path is None:
        bench.missing("details export (.xlsx)", size, target, "attendance:details_export")
        return
    headers = {"Cookie": f"{bench.project_cookie[0]}={bench.project_cookie[1]}"}
    one_day = bench.url(
        "attendance:details_export", f"date_from={bench.month_start:%Y-%m-%d}", project_id=bench.project_id
    )
    request(bench.port, "GET", one_day, headers)  # warm-up
    timings, status, length = [], 0, 0
    for _ in range(bench.sizes.export_samples):
        status, body, elapsed = request(bench.port, "GET", path, headers)
        length = len(body)
        if status != 200:
            break
        timings.append(elapsed)
    memory = _export_memory(bench, path)
    growth = memory.get("growth_mb")
    passed = status == 200 and bool(timings) and growth is not None and growth <= 200
    passed = passed and memory.get("status") == 200
    row = Row(
        "details export (.xlsx)",
        size,
        target,
        passed,
        _ms(statistics.median(timings)) if timings else None,
        _ms(percentile(timings, 0.95)) if timings else None,
        memory.get("queries"),
        note=(
            ("" if status == 200 else f"HTTP {status} for {path}; ")
            + f"{length:,} bytes; peak RSS growth {growth} MB "
            f"(subprocess {memory.get('seconds')} s)"
        ),
        extra={
            **memory,
            "rows": rows,
            "rows_per_second": round(rows / statistics.median(timings)) if timings else None,
        },
    )
    if timings:
        yardsticks.judge(row, "details_dump", bench.yardstick("details_dump"), max(timings) * 1000, 15_000)
    else:
        row.passed = False
    bench.rows.append(row)
    bench.log(f"  details export: median {row.median_ms} ms, growth {growth} MB")


def _export_memory(bench: Bench, path: str) -> dict:
    """The details export in a subprocess through the same view; its peak RSS growth."""
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.export_memory",
            path,
            bench.project_cookie[0],
            bench.project_cookie[1],
        ],
        cwd=ROOT,
        env={**os.environ, **bench.env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if completed.returncode != 0:
        return {"error": completed.stderr[-500:]}
    return json.loads(completed.stdout.strip().splitlines()[-1])
