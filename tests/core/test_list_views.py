"""Every list page is a declared list (jmzhgd/core/list_views.py): a newcomer adding one writes the
model, filter set, table and one short class, and the steps (scope, filter, sort, paginate with
?per_page clamped, export with its audit row) are written once."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parents[2]
APPS = ["jmzhgd", "projects", "enterprises", "workforce", "attendance", "contracts", "wages", "alerts"]
APPS += ["selfservice", "exchange"]
# 监管总览's table of projects is one panel of a page of figures and charts, not a list page: it pages
# its ten rows itself.
NOT_YET = {"jmzhgd/portal/projects.py"}


def test_only_the_declared_list_view_paginates_a_list_page():
    by_hand = sorted(
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "paginate_table(" in path.read_text(encoding="utf-8")
    )
    assert set(by_hand) - NOT_YET == {"jmzhgd/core/list_views.py", "jmzhgd/core/tables.py"}
