"""Page scenarios, all against the big project of the dataset, each judged on its
ratio to a yardstick (bench/yardsticks.py) taken in the same run."""

from __future__ import annotations

import statistics
import time

from bench import yardsticks
from bench.harness import Bench, Row, _ms


def roster(bench: Bench) -> None:
    size = bench.on_site_size
    name = bench.entry_on_site(100).person.name
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
    entry = bench.entry_on_site(7)
    path = bench.url("workforce:person_detail", project_id=bench.project_id, person_id=entry.person_id)
    bench.page(
        "person detail",
        f"1 person, {bench.marker['scale']['days'] * 2} punches in the month",
        path,
        bench.project_cookie,
        limit_ms=300,
        what="workforce:person_detail",
    )


def month_grid(bench: Bench) -> None:
    query = f"month={bench.month_start:%Y-%m}"
    path = bench.url("attendance:month", query, project_id=bench.project_id)
    punches = bench.marker["counts"]["big_project_on_site"] * bench.marker["scale"]["days"] * 2
    row = bench.page(
        "month grid page",
        f"{bench.on_site_size}, {punches:,} punches",
        path,
        bench.project_cookie,
        limit_ms=500,
        what="attendance:month",
        yardstick="raw_aggregate",
        ratio_limit=2,  # the page's median at most twice the raw GROUP BY it is built on
    )
    if row is not None:
        row.target += ", median ≤ 2 × raw aggregate"


def overview(bench: Bench) -> None:
    path = bench.url("projects:overview", project_id=bench.project_id)
    bench.page(
        "project overview",
        f"{bench.on_site_size}, {bench.marker['counts']['projects']:,} projects in the city",
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
        f"{counts['projects']:,} projects, {counts['on_site']:,} on site, {counts['punches']:,} punches",
        path,
        bench.supervisor_cookie,
        limit_ms=500,
        what="projects:dashboard",
    )


def monthly_report(bench: Bench) -> None:
    """月报 of the dataset's month over the whole city, as its job runs it (in the harness process):
    the claim, the report's grouped queries, the workbook and the stored file. Target ≤ 30 s.
    The export rows and files are removed afterwards: the dataset stays as it was."""
    from jmzhgd.jobs import runner
    from jmzhgd.jobs.models import Export, ExportState
    from jmzhgd.portal.monthly_report import MONTHLY_REPORT

    counts = bench.marker["counts"]
    size = f"the city's month: {counts['on_site']:,} on site, {counts['punches']:,} punches"
    month = f"{bench.month_start:%Y-%m}"
    timings, states = [], []
    for _ in range(2):
        export = Export.objects.create(
            user=bench.supervisor,
            project=None,
            exporter=MONTHLY_REPORT,
            label=f"月报 {month}",
            filename=f"月报_{month}.xlsx",
            params={"month": [month]},
            total_rows=8,
        )
        started = time.monotonic()
        states.append(runner.write_export(export.pk))
        timings.append(time.monotonic() - started)
        export.refresh_from_db()
        runner.delete_stored(export)
        export.delete()
    slowest = max(timings)
    row = Row(
        "月报 as a job",
        size,
        "≤ 30 s",
        all(state == ExportState.READY for state in states),
        _ms(statistics.median(timings)),
        _ms(slowest),
        note=f"runs {', '.join(f'{t:.2f} s' for t in timings)}; states {', '.join(states)}",
    )
    # Grouped queries over the month's summaries and stays, like the raw month aggregate.
    yardsticks.judge(row, "raw_aggregate", bench.yardstick("raw_aggregate"), slowest * 1000, 30_000)
    bench.rows.append(row)
    bench.log(f"  月报 as a job: {timings[0]:.2f} s, {timings[1]:.2f} s")
