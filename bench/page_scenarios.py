"""Page scenarios, all against the big project of the dataset, each judged on its
ratio to a yardstick (bench/yardsticks.py) taken in the same run."""

from __future__ import annotations

from bench.harness import Bench


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
