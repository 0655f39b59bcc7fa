"""`make bench`: build (or reuse) the city-scale dataset, run every scenario, print one table.

    .venv-bench/bin/python -m bench.run         # everything (what `make bench` runs)
    .venv-bench/bin/python -m bench.run --build-only  # just the dataset
    .venv-bench/bin/python -m bench.run --only roster,person_detail --no-load
    .venv-bench/bin/python -m bench.run --scale 10   # 1× and 10× side by side (bench/compare.py)

Environment: BENCH_DATABASE_URL (default postgres://postgres@/jmzhgd_bench), BENCH_X10_DATABASE_URL
(default: the same with "_x10" after the database name),
BENCH_REBUILD=1 to drop and rebuild the dataset, BENCH_LOAD_SECONDS (default 60).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from bench import compare, exchange_scenario, setup
from bench.dataset.plan import SCALES
from bench.harness import FULL_SIZES, SMOKE_SIZES, Bench, Row, Server, Sizes
from bench.text_table import pad as _pad
from bench.text_table import width as _width

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def log(line: str) -> None:
    print(line, flush=True)


def start_django(scale) -> dict:
    """Prepare the bench database and this process's environment, start Django, migrate, build.

    Returns the dataset marker and the environment the platform processes run with."""
    url = setup.bench_url()
    reuse = setup.prepare_database(url, scale.key, rebuild=os.environ.get("BENCH_REBUILD") == "1", log=log)
    keys = setup.bench_keys(url)
    work_dir = os.environ.get("BENCH_WORK_DIR", "/tmp/jmzhgd-bench")
    env = setup.production_environment(url, keys, work_dir)
    os.environ.update(env)

    import django

    django.setup()
    from django.core.management import call_command

    from bench import dataset

    call_command("migrate", interactive=False, verbosity=0)
    _collect_static(env["STATIC_ROOT"])
    marker = dataset.existing_build(scale) if reuse else None
    if marker:
        log(f"复用已有基准数据集（构建于 {marker['seconds']} 秒，{marker['counts']['punches']:,} 条打卡）。")
    else:
        log("构建基准数据集 …")
        result = dataset.build(scale, log=log)
        marker = result.as_dict()
        log(f"数据集构建完成：{result.seconds:.0f} 秒。")
    return {"marker": marker, "env": env}


def _collect_static(static_root: str) -> None:
    """collectstatic into the bench's own STATIC_ROOT (production storage needs the manifest).

    Workaround, reported as open: vendored files under static/vendor/ end with sourceMappingURL
    comments naming .map files that are not vendored, and the manifest storage refuses to
    post-process them. Empty source maps placed in STATIC_ROOT beforehand let them through; the
    platform's own files are not touched.
    """
    import re

    from django.core.management import call_command

    pattern = re.compile(rb"sourceMappingURL=([\w.\-]+\.map)")
    for path in (ROOT / "static").rglob("*.*"):
        if path.suffix not in (".css", ".js"):
            continue
        for name in pattern.findall(path.read_bytes()[-400:]):
            if not (path.parent / name.decode()).exists():
                target = Path(static_root) / path.parent.relative_to(ROOT / "static") / name.decode()
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text("{}", encoding="utf-8")
    call_command("collectstatic", interactive=False, verbosity=0)


def run_all(
    marker: dict,
    env: dict,
    *,
    only: set[str],
    load: bool,
    load_seconds: int,
    log: Callable[[str], None],
    sizes: Sizes = FULL_SIZES,
) -> dict:
    # The scenarios import Django's models: loaded once start_django has set Django up.
    from bench import (
        alerts_scenarios,
        entry_scenarios,
        export_scenarios,
        face_scenario,
        fence_scenario,
        import_scenario,
        ingest_scenarios,
        job_scenarios,
        load_scenario,
        page_scenarios,
        records_scenario,
        wages_scenario,
    )

    bench = Bench(marker, env, log, sizes)
    bench.load_seconds = load_seconds
    load_at_start = os.getloadavg()
    steps = [
        ("roster", page_scenarios.roster),
        ("person_detail", page_scenarios.person_detail),
        ("month", page_scenarios.month_grid),
        ("month_export", export_scenarios.month_export),
        ("details_export", export_scenarios.details_export),
        ("overview", page_scenarios.overview),
        ("dashboard", page_scenarios.dashboard),
        ("monthly_report", page_scenarios.monthly_report),
        ("import", import_scenario.run),
        *alerts_scenarios.STEPS,
        *entry_scenarios.STEPS,
        ("jobs", job_scenarios.jobs),
        ("ingest", ingest_scenarios.ingest),
        ("fence", fence_scenario.run),
        ("wages", wages_scenario.run),
        *records_scenario.STEPS,
        ("province", exchange_scenario.run),
        ("face_match", face_scenario.run),
    ]
    if load:
        steps.append(("load", load_scenario.load_run))
    log("gunicorn（deploy/gunicorn.conf.py）启动中 …")
    with Server(env) as server:
        bench.server = server
        log(f"gunicorn 已在 127.0.0.1:{server.port} 就绪；开始测量。")
        for name, func in steps:
            if only and name not in only:
                continue
            try:
                func(bench)
            except Exception as exc:  # a scenario that breaks is a failed row, not a lost run
                bench.rows.append(Row(name, "", "", False, note=f"error: {type(exc).__name__}: {exc}"[:300]))
                log(f"  {name}: ERROR {type(exc).__name__}: {exc}")
    return {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "load_average_at_start": load_at_start,
            "load_average_at_end": os.getloadavg(),
        },
        "server": "gunicorn, deploy/gunicorn.conf.py (sync workers, 2 × cores + 1), DJANGO_DEBUG=0, PostgreSQL",
        "rate_limit": f"API_RATE_LIMIT_PER_MINUTE={env.get('API_RATE_LIMIT_PER_MINUTE')}",
        "queries_counted_by": "django.test.Client + CaptureQueriesContext in the harness process, same database",
        "yardsticks": {key: round(value, 1) for key, value in bench.yardsticks.items()},
        "rows": [asdict(row) for row in bench.rows],
    }


def format_table(report: dict) -> str:
    headers = ["scenario", "data size", "median", "p95", "target", "yardstick", "ratio", "queries", "result"]
    lines = []
    for row in report["rows"]:
        if row["passed"]:
            verdict = "PASS ⚑" if row.get("flagged") else "PASS"
        else:
            verdict = "FAIL"
        notes = " ".join(row["note"].split()) + (f"; ⚑ {row['flagged']}" if row.get("flagged") else "")
        lines.append(
            [
                row["scenario"],
                row["size"],
                "" if row["median_ms"] is None else f"{row['median_ms']:g} ms",
                "" if row["p95_ms"] is None else f"{row['p95_ms']:g} ms",
                row["target"],
                row.get("yardstick", ""),
                "" if row.get("ratio") is None else f"{row['ratio']:.3g}× (target {row['ratio_target']})",
                "" if row["queries"] is None else str(row["queries"]),
                verdict + (f" — {notes}" if notes else ""),
            ]
        )
    widths = [
        max(_width(h), *(_width(line[i]) for line in lines)) if lines else _width(h)
        for i, h in enumerate(headers)
    ]
    out = ["| " + " | ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)) + " |"]
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for line in lines:
        out.append("| " + " | ".join(_pad(c, w) for c, w in zip(line, widths, strict=True)) + " |")
    out.append("")
    out.append(
        f"{report['server']}; {report['rate_limit']}; SQL queries counted by {report['queries_counted_by']}. "
        "A row passes on its ratio to its yardstick; ⚑ marks an absolute target missed on a machine "
        "whose yardstick is slower than the reference machine's (bench/README.md)."
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="江门市智慧工地实名制管理平台 基准测试")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--no-load", action="store_true", help="skip the 60-second load run")
    parser.add_argument("--tiny", action="store_true", help="tiny dataset (a smoke run, not a benchmark)")
    parser.add_argument(
        "--scale",
        type=int,
        choices=sorted(SCALES),
        default=1,
        help="10: every scenario at 1× and at 10× (bench/compare.py), side by side",
    )
    parser.add_argument("--alone", action="store_true", help="with --scale 10: the 10× dataset only")
    parser.add_argument("--report", help=argparse.SUPPRESS)  # where a child run writes its report
    args = parser.parse_args(argv)
    if args.scale != 1 and not args.alone and not args.tiny:
        return compare_scales(args)

    from bench import dataset

    scale = dataset.TINY if args.tiny else SCALES[args.scale]
    started = time.monotonic()
    state = start_django(scale)
    if args.build_only:
        return 0

    only = {name for name in args.only.split(",") if name}
    report = run_all(
        state["marker"],
        state["env"],
        only=only,
        load=not args.no_load,
        load_seconds=int(os.environ.get("BENCH_LOAD_SECONDS", "60")),
        log=log,
        sizes=SMOKE_SIZES if args.tiny else FULL_SIZES,
    )
    report["dataset"] = state["marker"]
    report["scale"] = args.scale
    report["total_seconds"] = round(time.monotonic() - started, 1)
    print()
    print(format_table(report))
    if args.report:
        Path(args.report).write_text(json.dumps(report, ensure_ascii=False, default=str), encoding="utf-8")
    else:
        write_results(report, "bench")
    return 0 if all(row["passed"] for row in report["rows"]) else 1


def write_results(report: dict, stem: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    latest = "latest.json" if stem == "bench" else f"latest-{stem.removeprefix('bench-')}.json"
    (RESULTS / latest).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    log(f"\n结果已写入 {path.relative_to(ROOT)}")


def compare_scales(args) -> int:
    """Run the scenarios on the 1× and on the 10× database, one after the other, each in a process
    of its own (Django is set up once per database), then print them side by side."""
    import subprocess
    import tempfile

    reports = {}
    with tempfile.TemporaryDirectory() as tmp:
        for factor in (1, args.scale):
            report_path = Path(tmp) / f"x{factor}.json"
            command = [
                sys.executable,
                "-m",
                "bench.run",
                "--scale",
                str(factor),
                "--report",
                str(report_path),
            ]
            command += ["--alone"] if factor != 1 else []
            command += ["--only", args.only] if args.only else []
            command += ["--no-load"] if args.no_load else []
            command += ["--build-only"] if args.build_only else []
            log(f"=== {factor}× （数据库 {setup.scale_url(factor)}）===")
            subprocess.run(
                command, cwd=ROOT, env={**os.environ, "BENCH_DATABASE_URL": setup.scale_url(factor)}
            )
            if args.build_only:
                continue
            if not report_path.exists():
                log(f"{factor}× 的运行没有写出结果。")
                return 1
            reports[factor] = json.loads(report_path.read_text(encoding="utf-8"))
    if args.build_only:
        return 0
    one, ten = reports[1], reports[args.scale]
    lines = compare.compare_rows(one, ten)
    print()
    print(compare.format_comparison(lines, one, ten))
    write_results({"x1": one, f"x{args.scale}": ten, "comparison": lines}, f"bench-x{args.scale}")
    return 0 if all(line["passed"] for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
