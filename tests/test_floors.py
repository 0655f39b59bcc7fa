"""The floors hold (README "Floors", DESIGN.md pattern 9): import-linter's contracts in pyproject.toml
find no import that runs from a floor up to one above it, and no circle between apps."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_no_import_runs_up_a_floor():
    status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert status == EXIT_STATUS_SUCCESS
