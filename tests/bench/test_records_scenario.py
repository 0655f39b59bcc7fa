"""The bench's retention and dossier rows run (on a small project here) and say what they measured."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from bench import records_scenario
from tests import factories
from tests.records.conftest import build_old_project

pytestmark = pytest.mark.django_db


def test_the_dry_run_and_dossier_rows_measure_and_pass_on_a_small_project():
    built = build_old_project("已竣工甲项目")
    bench = SimpleNamespace(
        marker={"counts": {"projects": 1, "punches": 1}},
        project_id=built["project"].pk,
        month_start=datetime.date(2021, 5, 1),
        month_end=datetime.date(2021, 5, 31),
        project_user=factories.ProjectUserFactory(project=built["project"]),
        on_site_size="0 on site",
        rows=[],
        log=lambda text: None,
        yardstick=lambda key: 1000.0,  # a machine slower than the reference: the ratio decides
    )
    for _name, step in records_scenario.STEPS:
        step(bench)
    dry_run, dossier = bench.rows
    assert dry_run.passed and dry_run.note == "4 lines due, 0 held"
    assert dossier.passed and "files" in dossier.size and dossier.note.endswith("MB")
    assert dry_run.ratio is not None and dossier.ratio is not None
