"""The floors hold (README "Floors", docs/architecture.md pattern 9): import-linter's contracts in pyproject.toml
find no import that runs from a floor up to one above it, and no circle between apps."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_no_import_runs_up_a_floor():
    status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert status == EXIT_STATUS_SUCCESS


def test_every_app_of_the_platform_stands_on_a_floor():
    """A new app joins the floors contract, or nothing would stop it importing from above."""
    import tomllib

    from django.apps import apps

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    floors = next(c for c in config["contracts"] if c["id"] == "floors")["layers"]
    named = {name.strip() for layer in floors for name in layer.split("|")}
    ours = {
        app.name
        for app in apps.get_app_configs()
        if Path(app.path).resolve().is_relative_to(ROOT) and "site-packages" not in app.path
    }
    unplaced = {name for name in ours if not any(name == n or name.startswith(n + ".") for n in named)}
    assert not unplaced, f"apps missing from the floors contract in pyproject.toml: {sorted(unplaced)}"
