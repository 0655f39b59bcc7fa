"""The benchmark harness end to end at a tiny scale: gunicorn on the test database, every scenario
but the 60-second load run. The API uploads go through wrk, as in `make bench` (a system package
that `make test` and `make bench` install: scripts/system-packages.sh).

Timings are not asserted (docs/architecture.md §5: they live in `make bench`); what is asserted is that every
scenario reached its page or API, got a good answer and produced its figures, so the harness cannot
silently rot while the pages it measures change.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection

from bench import dataset, harness, run, yardsticks

pytestmark = pytest.mark.django_db(transaction=True)


def _test_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_every_scenario_runs_through_gunicorn_reports_its_figures_and_leaves_the_dataset_as_it_was(
    tmp_path, code_tables
):
    from attendance.models import Punch
    from workforce.models import RosterEntry

    built = dataset.build(dataset.TINY, log=lambda line: None)
    entries = RosterEntry.objects.count()
    env = {
        "DATABASE_URL": _test_database_url(),
        "DJANGO_SETTINGS_MODULE": "jmzhgd.settings_test",  # the test keys the data is encrypted with
        "DB_CONN_MAX_AGE": "0",
        "GUNICORN_WORKERS": "2",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "API_RATE_LIMIT_PER_MINUTE": "1000000",
        "LOG_LEVEL": "WARNING",
        # The import's 10 rows then commit as a background job through a real db_worker, as 5,000 do.
        "IMPORT_JOB_THRESHOLD_ROWS": "5",
    }
    lines: list[str] = []
    report = run.run_all(
        built.as_dict(),
        env,
        only=set(),
        load=False,
        load_seconds=1,
        log=lines.append,
        sizes=harness.SMOKE_SIZES,
    )

    names = [row["scenario"] for row in report["rows"]]
    errors = [row for row in report["rows"] if row["note"].startswith(("missing", "error"))]
    assert not errors, [row["note"] for row in errors]
    assert "roster page 1" in names and "month grid page" in names and "supervisor dashboard" in names
    assert "月报 as a job" in names
    assert "punch ingestion, batches of 100" in names and "punch ingestion, single requests" in names
    imported = next(row for row in report["rows"] if row["scenario"].startswith("import of"))
    assert imported["passed"] and "10 entered, batch imported" in imported["note"], imported
    assert "job latency (enqueue → start)" in names and any(
        n.startswith("details export as a job") for n in names
    )
    for row in report["rows"]:
        assert row["median_ms"] is not None, row
        assert not row["note"].startswith(("missing", "error", "HTTP")), row
        assert "problems" not in row["note"], row
        # Every row is judged against a yardstick measured in the same run (bench/yardsticks.py).
        assert row["yardstick"] and row["yardstick_value"] and row["ratio"] is not None, row
        assert row["ratio_target"], row
    assert set(report["yardsticks"]) == set(yardsticks.REFERENCE)
    details = next(row for row in report["rows"] if row["scenario"].startswith("details export"))
    assert details["extra"]["status"] == 200 and details["extra"]["growth_mb"] is not None
    imported = next(row for row in report["rows"] if row["scenario"].startswith("import of"))
    assert f"{harness.SMOKE_SIZES.import_rows:,} entered" in imported["note"]
    province = next(row for row in report["rows"] if row["scenario"].startswith("province sync"))
    assert ", 0 not;" in province["note"] and not province["note"].startswith("0 accepted"), province

    table = run.format_table(report)
    assert table.count("\n|") >= len(report["rows"]) + 1
    assert "| yardstick " in table and "× (target " in table
    json.dumps(report, default=str)  # what bench/results/ receives

    # The probe punches and the imported entries are removed again: the next run sees the same data.
    assert Punch.objects.count() == built.counts["punches"]
    assert not Punch.objects.filter(device_sn=harness.API_DEVICE).exists()
    assert RosterEntry.objects.count() == entries
