"""Retention and the project dossier at city scale (docs/retention.md): the purge's dry run over the
whole city (what `purge_records --dry-run` and the 保存期限 page compute), and the big project's
dossier for the bench month, written as its job writes it."""

from __future__ import annotations

import tempfile
import time

from bench import yardsticks
from bench.harness import Bench, Row, _ms

DRY_RUN_TARGET_S = 60
DOSSIER_TARGET_S = 120


def dry_run(bench: Bench) -> None:
    from records import purge

    counts = bench.marker["counts"]
    size = f"{counts['projects']:,} projects, {counts['punches']:,} punches"
    started = time.monotonic()
    plan = purge.plan()
    took = time.monotonic() - started
    row = Row(
        "retention dry run",
        size,
        f"≤ {DRY_RUN_TARGET_S} s",
        True,
        _ms(took),
        _ms(took),
        note=f"{len(plan.due)} lines due, {len(plan.skipped)} held",
    )
    # Set-based counts over the city's tables, like the raw month aggregate.
    yardsticks.judge(row, "raw_aggregate", bench.yardstick("raw_aggregate"), took * 1000, DRY_RUN_TARGET_S * 1000)
    bench.rows.append(row)
    bench.log(f"  retention dry run: {took:.1f} s")


def dossier(bench: Bench) -> None:
    from django.http import QueryDict

    from projects.models import Project
    from records.dossier import dossier_export

    project = Project.objects.get(pk=bench.project_id)
    params = QueryDict(mutable=True)
    params["date_from"], params["date_to"] = f"{bench.month_start:%Y-%m-%d}", f"{bench.month_end:%Y-%m-%d}"
    started = time.monotonic()
    prepared = dossier_export(project, params, bench.project_user)
    with tempfile.TemporaryFile() as spool:
        prepared.write(spool, lambda parts: parts)
        written = spool.tell()
    took = time.monotonic() - started
    row = Row(
        "project dossier (.zip)",
        f"{bench.on_site_size}, one month, {prepared.rows} files",
        f"≤ {DOSSIER_TARGET_S} s",
        True,
        _ms(took),
        _ms(took),
        note=f"{written / 1_000_000:.1f} MB",
    )
    # Mostly workbooks written by openpyxl (the roster, the ledgers, the month tables).
    yardsticks.judge(row, "month_dump", bench.yardstick("month_dump"), took * 1000, DOSSIER_TARGET_S * 1000)
    bench.rows.append(row)
    bench.log(f"  project dossier: {took:.1f} s, {prepared.rows} files, {written / 1_000_000:.1f} MB")


STEPS = [("retention_dry_run", dry_run), ("dossier", dossier)]
