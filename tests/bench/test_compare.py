"""The 1× / 10× comparison (`make bench BENCH_ARGS="--scale 10"`): which lines pass."""

from __future__ import annotations

from bench import compare
from bench.dataset.plan import FULL, PROVINCE, SCALES


def _row(scenario, median, p95=None, *, passed=True, target="p95 ≤ 300 ms", extra=None):
    return {
        "scenario": scenario,
        "size": "x",
        "target": target,
        "passed": passed,
        "median_ms": median,
        "p95_ms": p95 or median,
        "extra": extra or {},
    }


def _lines(first: list[dict], second: list[dict]) -> dict:
    lines = compare.compare_rows({"rows": first}, {"rows": second, "dataset": {"counts": {}}})
    return {line["scenario"]: line for line in lines}


def test_the_province_scale_is_ten_cities_with_a_year_of_history():
    assert SCALES == {1: FULL, 10: PROVINCE}
    assert (PROVINCE.projects, PROVINCE.persons, PROVINCE.on_site) == (
        10 * FULL.projects,
        10 * FULL.persons,
        10 * FULL.on_site,
    )
    assert PROVINCE.big_project_on_site == FULL.big_project_on_site  # a project keeps its size
    assert (PROVINCE.history_months, PROVINCE.history_on_site) == (12, FULL.on_site)


def test_a_page_may_grow_by_half_at_most():
    lines = _lines([_row("roster", 100), _row("grid", 100)], [_row("roster", 149), _row("grid", 151)])
    assert lines["roster"]["passed"] and lines["roster"]["ratio"] == 1.49
    assert not lines["grid"]["passed"] and lines["grid"]["ratio"] == 1.51


def test_a_row_failing_at_either_scale_fails_the_line():
    lines = _lines([_row("roster", 100, passed=False)], [_row("roster", 100)])
    assert not lines["roster"]["passed"]
    lines = _lines([_row("roster", 100)], [_row("roster", 100, passed=False)])
    assert not lines["roster"]["passed"]


def test_the_export_must_stream_twelve_thousand_rows_a_second_at_ten_times():
    target = "≤ 15 s, memory growth ≤ 200 MB"
    fast = _row("export", 9000, target=target, extra={"rows_per_second": 13_800})
    slow = _row("export", 11000, target=target, extra={"rows_per_second": 11_300})
    assert _lines([fast], [fast])["export"]["passed"]
    line = _lines([fast], [slow])["export"]
    assert not line["passed"] and line["ratio"] == round(11_300 / 13_800, 3)


def test_rates_and_non_page_rows_are_judged_by_their_own_targets():
    ingest = _row("ingest", 50, target="≥ 20,000 punches/s", extra={"punches_per_second": 21_000})
    slower = _row("ingest", 80, target="≥ 20,000 punches/s", extra={"punches_per_second": 20_500})
    job = _row("job", 100, target="≤ 10 s")
    lines = _lines([ingest, job], [slower, _row("job", 400, target="≤ 10 s")])
    assert lines["ingest"]["passed"] and lines["ingest"]["ratio"] == round(20_500 / 21_000, 3)
    assert lines["job"]["passed"] and lines["job"]["ratio"] == 4


def test_a_scenario_measured_at_one_scale_only_fails_and_the_table_shows_both():
    lines = compare.compare_rows(
        {"rows": [_row("roster", 100), _row("gone", 10)]},
        {"rows": [_row("roster", 120), _row("new", 10)], "dataset": {"counts": {"projects": 2000}}},
    )
    by_name = {line["scenario"]: line for line in lines}
    assert not by_name["gone"]["passed"] and not by_name["new"]["passed"]
    table = compare.format_comparison(lines, {}, {"dataset": {"counts": {"projects": 2000}}})
    assert "| roster" in table and "1.20×" in table and "100 / 100 ms" in table and "2,000 projects" in table
    assert table.count("FAIL") == 2


def test_a_slow_export_passes_flagged_only_on_a_machine_slower_than_the_reference():
    """The harness's rule for absolute targets: scaled by how much slower this run's yardstick
    (the plain dump of the same punches) was than the reference machine's."""
    from bench.yardsticks import REFERENCE

    reference = REFERENCE["details_dump"].reference
    target = "≤ 15 s, memory growth ≤ 200 MB"
    one = _row("export", 9000, target=target, extra={"rows_per_second": 13_000})
    slow_machine = {
        **_row("export", 11000, target=target, extra={"rows_per_second": 10_500}),
        "yardstick_value": reference * 1.3,
    }
    fast_machine = {**slow_machine, "yardstick_value": reference * 0.9}
    line = _lines([one], [slow_machine])["export"]
    assert line["passed"] and "1.30× slower" in line["flagged"]
    assert "PASS ⚑" in compare.format_comparison([line], {}, {})
    assert not _lines([one], [fast_machine])["export"]["passed"]
    barely = {**slow_machine, "yardstick_value": reference * 1.1}  # 10,500 × 1.1 < 12,000
    assert not _lines([one], [barely])["export"]["passed"]


def test_the_ten_times_dataset_lives_in_a_database_of_its_own(monkeypatch):
    from bench import setup

    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://postgres@/jmzhgd_bench")
    monkeypatch.delenv("BENCH_X10_DATABASE_URL", raising=False)
    assert setup.scale_url(1) == "postgres://postgres@/jmzhgd_bench"
    assert setup.scale_url(10) == "postgres://postgres@/jmzhgd_bench_x10"
    monkeypatch.setenv("BENCH_X10_DATABASE_URL", "postgres://postgres@/province")
    assert setup.scale_url(10) == "postgres://postgres@/province"
