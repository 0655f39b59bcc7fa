"""`make bench`: build (or reuse) the city-scale dataset, run every scenario, print one table.

    .venv-bench/bin/python -m bench.run         # everything (what `make bench` runs)
    .venv-bench/bin/python -m bench.run --build-only  # just the dataset
    .venv-bench/bin/python -m bench.run --only roster,person_detail --no-load

Environment: BENCH_DATABASE_URL (default postgres://postgres@/jmzhgd_bench),
BENCH_REBUILD=1 to drop and rebuild the dataset, BENCH_LOAD_SECONDS (default 60).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from bench import setup

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="江门市智慧工地实名制管理平台 基准测试")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--no-load", action="store_true", help="skip the 60-second load run")
    parser.add_argument("--tiny", action="store_true", help="tiny dataset (a smoke run, not a benchmark)")
    args = parser.parse_args(argv)

    from bench import dataset

    scale = dataset.TINY if args.tiny else dataset.FULL
    started = time.monotonic()
    state = start_django(scale)
    if args.build_only:
        return 0

    from bench import scenarios

    only = {name for name in args.only.split(",") if name}
    report = scenarios.run_all(
        state["marker"],
        state["env"],
        only=only,
        load=not args.no_load,
        load_seconds=int(os.environ.get("BENCH_LOAD_SECONDS", "60")),
        log=log,
        sizes=scenarios.SMOKE_SIZES if args.tiny else scenarios.FULL_SIZES,
    )
    report["dataset"] = state["marker"]
    report["total_seconds"] = round(time.monotonic() - started, 1)
    print()
    print(scenarios.format_table(report))
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    (RESULTS / "latest.json").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    log(f"\n结果已写入 {path.relative_to(ROOT)}")
    return 0 if all(row["passed"] for row in report["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main())
