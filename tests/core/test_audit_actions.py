"""Every action the code can record has a Chinese name, and every audit log page renders each of
them: the city's and a district's 审计日志 and the project's own."""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.audit_actions import ACTION_LABELS
from jmzhgd.core.tables import MAX_PER_PAGE
from tests import factories

ROOT = Path(__file__).parents[2]
CODE = re.compile(r"[a-z_]+\.[a-z_]+")
SKIPPED_FOLDERS = {".venv", "tests", "migrations", "bench", "node_modules"}


def _source_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        # Hidden folders hold installed packages (.venv, the bench's .venv-bench), not the platform.
        if not SKIPPED_FOLDERS & set(parts) and not any(part.startswith(".") for part in parts):
            yield path


def _audit_names(tree: ast.AST) -> set[str]:
    """Names under which a module calls audit.record / audit.build without the module prefix."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in ("jmzhgd.core.audit", "core.audit")
        for alias in node.names
        if alias.name in ("record", "build")
    }


def _is_audit_call(node: ast.AST, bare: set[str]) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in bare
    return (
        isinstance(func, ast.Attribute)
        and func.attr in ("record", "build")
        and isinstance(func.value, ast.Name)
        and func.value.id == "audit"
    )


def _constants_named(tree: ast.AST, name: str, keywords: set[str]) -> set[str]:
    """String constants assigned to `name` in a module (also by tuple unpacking), and passed as the
    keyword `name=` anywhere (`keywords`)."""
    found = {v for v in keywords if name == "action"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                pairs = []
                if isinstance(target, ast.Name):
                    pairs = [(target, node.value)]
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    pairs = list(zip(target.elts, node.value.elts, strict=False))
                for t, v in pairs:
                    if isinstance(t, ast.Name) and t.id == name:
                        found |= _codes(v, tree, keywords) or set()
    return found


def _codes(node: ast.AST, tree: ast.AST, keywords: set[str]) -> set[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _codes(node.body, tree, keywords), _codes(node.orelse, tree, keywords)
        return None if body is None or orelse is None else body | orelse
    if isinstance(node, ast.Name):
        # A code handed down as an argument: every dotted code written in the module is a candidate.
        written = {
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and CODE.fullmatch(n.value)
        }
        return (_constants_named(tree, node.id, keywords) | written) or None
    if isinstance(node, ast.JoinedStr) and ast.unparse(node) == "f'payroll.{name}'":
        from wages.transitions import ALLOWED

        return {f"payroll.{name}" for name in ALLOWED}
    return None


def recordable_actions() -> tuple[set[str], list[str]]:
    """(every action code an audit.record / audit.build call can write, calls it cannot tell)."""
    trees = {path: ast.parse(path.read_text()) for path in _source_files()}
    keywords = {
        kw.value.value
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg == "action" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)
    }
    codes, unknown = set(), []
    for path, tree in trees.items():
        bare = _audit_names(tree)
        for node in ast.walk(tree):
            if not _is_audit_call(node, bare):
                continue
            arg = node.args[1] if len(node.args) > 1 else None
            found = _codes(arg, tree, keywords) if arg is not None else None
            if found is None:
                unknown.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            else:
                codes |= found
    return {c for c in codes if "." in c}, unknown


def test_every_action_code_the_code_can_record_has_a_chinese_name():
    codes, unknown = recordable_actions()
    assert unknown == [], "audit calls whose action code this test cannot read: name it plainly"
    assert len(codes) > 75  # the walk found the platform's actions, not a handful
    assert sorted(codes - set(ACTION_LABELS)) == []
    assert {"alert.evaluate", "selfservice.lookup", "roster.enter"} <= codes


def test_every_label_is_chinese_and_no_code_is_labelled_twice_the_same():
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in ACTION_LABELS.values())
    labels = list(ACTION_LABELS.values())
    assert sorted({label for label in labels if labels.count(label) > 1}) == []


@pytest.mark.django_db
def test_each_action_once_renders_in_the_city_district_and_project_logs(client, project, project_user):
    """One row of every action, shaped as the actions write them (a 人员进场 names its person, unit
    and team as text): every log page answers 200 and names each action in Chinese."""
    entry = factories.RosterEntryFactory(team__unit__project=project)
    texts = {"person": str(entry.person), "unit": str(entry.unit), "team": entry.team.name}
    codes, _ = recordable_actions()
    for code in sorted(codes):
        audit.record(
            Actor.system("测试"),
            code,
            entry,
            project=project,
            summary=f"{code} 测试",
            before={"entry_date": datetime.date(2026, 3, 1), "is_team_leader": False, "team": entry.team_id},
            after={**texts, "entry_date": datetime.date(2026, 3, 2), "is_team_leader": True},
        )
    city = factories.SupervisorFactory()
    district = factories.SupervisorFactory(districts=[project.district])
    pages = [
        (city, reverse("core:audit_log")),
        (district, reverse("core:audit_log")),
        (project_user, reverse("core:project_audit_log", args=[project.pk])),
    ]
    for user, url in pages:
        client.force_login(user)
        # More rows than one page holds (MAX_PER_PAGE): read every page of the log (a page past the
        # last shows the last again).
        html = ""
        for page in range(1, len(codes) // MAX_PER_PAGE + 3):
            response = client.get(url, {"per_page": MAX_PER_PAGE, "page": page})
            assert response.status_code == 200, url
            html += response.content.decode()
        for code in codes:
            assert f'<td class="text-nowrap">{ACTION_LABELS[code]}</td>' in html, (url, code)
            assert f">{code}<" not in html.replace(f'value="{code}">', ""), (url, code)
