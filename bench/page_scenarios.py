"""Page, export and import scenarios, all against the big project of the dataset."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from bench.scenarios import ROOT, Bench, Row, _ms, percentile, request


def _entry_on_site(bench: Bench, offset: int = 0):
    from workforce.models import RosterEntry

    entries = RosterEntry.objects.filter(project_id=bench.project_id, exit_date__isnull=True)
    return entries.select_related("person").order_by("id")[offset % entries.count()]


def _size(bench: Bench) -> str:
    return f"{bench.marker['counts']['big_project_on_site']:,} on site"


def roster(bench: Bench) -> None:
    size = _size(bench)
    name = _entry_on_site(bench, 100).person.name
    for label, query in (
        ("roster page 1", ""),
        ("roster page 50", "page=50"),
        ("roster name search", f"q={name}"),
    ):
        from urllib.parse import quote

        query = query.replace(name, quote(name)) if name in query else query
        path = bench.url("workforce:roster", query, project_id=bench.project_id)
        bench.page(
            label, size, path, bench.project_cookie, limit_ms=300, max_queries=15, what="workforce:roster"
        )


def person_detail(bench: Bench) -> None:
    entry = _entry_on_site(bench, 7)
    path = bench.url("workforce:person_detail", project_id=bench.project_id, person_id=entry.person_id)
    bench.page(
        "person detail",
        f"1 person, {bench.marker['scale']['days'] * 2} punches in the month",
        path,
        bench.project_cookie,
        limit_ms=300,
        what="workforce:person_detail",
    )


RAW_AGGREGATE_SQL = """
SELECT person_id, work_date,
       MIN(punched_at) FILTER (WHERE direction = '01'), MAX(punched_at) FILTER (WHERE direction = '02'),
       COUNT(*)
FROM attendance_punch
WHERE project_id = %s AND work_date BETWEEN %s AND %s AND person_id IS NOT NULL
GROUP BY person_id, work_date
"""


def raw_month_aggregate(bench: Bench, samples: int = 7) -> float:
    """Median seconds of the raw aggregate over the project's punches of the month (the yardstick)."""
    from django.db import connection

    timings = []
    with connection.cursor() as cursor:
        for _ in range(samples + 1):
            started = time.perf_counter()
            cursor.execute(RAW_AGGREGATE_SQL, [bench.project_id, bench.month_start, bench.month_end])
            cursor.fetchall()
            timings.append(time.perf_counter() - started)
    return statistics.median(timings[1:])


def month_grid(bench: Bench) -> None:
    query = f"month={bench.month_start:%Y-%m}"
    path = bench.url("attendance:month", query, project_id=bench.project_id)
    punches = bench.marker["counts"]["big_project_on_site"] * bench.marker["scale"]["days"] * 2
    row = bench.page(
        "month grid page",
        f"{_size(bench)}, {punches:,} punches",
        path,
        bench.project_cookie,
        limit_ms=500,
        what="attendance:month",
    )
    if row is None:
        return
    raw = raw_month_aggregate(bench)
    row.extra["raw_aggregate_median_ms"] = _ms(raw)
    ratio = (row.median_ms / 1000) / raw if raw else None
    row.target += ", median ≤ 2 × raw aggregate"
    row.note += f"; raw aggregate {_ms(raw)} ms, page/raw {ratio:.2f}×" if ratio else ""
    row.passed = row.passed and ratio is not None and ratio <= 2


def month_export(bench: Bench) -> None:
    query = f"month={bench.month_start:%Y-%m}"
    path = bench.url("attendance:month_export", query, project_id=bench.project_id)
    bench.page(
        "month export (.xlsx)",
        f"{_size(bench)} × {bench.marker['scale']['days']} days",
        path,
        bench.project_cookie,
        limit_ms=3000,
        samples=5,
        warmup=1,
        what="attendance:month_export",
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
    passed = (
        status == 200
        and bool(timings)
        and max(timings) <= 15
        and growth is not None
        and growth <= 200
        and memory.get("status") == 200
    )
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
        extra=memory,
    )
    bench.rows.append(row)
    bench.log(f"  details export: median {row.median_ms} ms, growth {growth} MB")


def _export_memory(bench: Bench, path: str) -> dict:
    """The details export in a subprocess through the same view; its peak RSS growth."""
    import json

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


def overview(bench: Bench) -> None:
    path = bench.url("projects:overview", project_id=bench.project_id)
    bench.page(
        "project overview",
        f"{_size(bench)}, {bench.marker['counts']['projects']} projects in the city",
        path,
        bench.project_cookie,
        limit_ms=500,
        what="projects:overview",
    )


def dashboard(bench: Bench) -> None:
    path = bench.url("projects:dashboard")
    counts = bench.marker["counts"]
    bench.page(
        "supervisor dashboard",
        f"{counts['projects']} projects, {counts['on_site']:,} on site, {counts['punches']:,} punches",
        path,
        bench.supervisor_cookie,
        limit_ms=500,
        what="projects:dashboard",
    )


def import_rows(bench: Bench) -> None:
    from bench import import_scenario

    import_scenario.run(bench)
