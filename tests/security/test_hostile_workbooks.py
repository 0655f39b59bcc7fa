"""Hostile .xlsx uploads to 批量人员进场 (ASVS 5.2.1, 5.2.2): a huge declared sheet and damaged XML.

The workbooks are written by hand (zip + XML), so that they can say what no spreadsheet program
would write.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from jmzhgd.core.xlsx_read import bounded_rows
from tests.workforce.fixtures.site import PERSONS, build_site, row
from workforce import imports
from workforce.models import ImportBatch

pytestmark = pytest.mark.django_db

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="人员进场" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    "</Relationships>"
)
SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _cell(ref: str, value: object) -> str:
    if value is None:
        return ""
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _row(number: int, values: list) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    cells = "".join(_cell(f"{letters[i]}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def xlsx(sheet_xml: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return out.getvalue()


def sheet(rows: str, *, dimension: str = "A1:I2", prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {SHEET_NS}>'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def post(client, project, data: bytes):
    url = reverse("workforce:import", kwargs={"project_id": project.pk})
    return client.post(url, {"file": SimpleUploadedFile("名单.xlsx", data)})


@pytest.fixture
def site(project):
    return build_site(project)


@pytest.fixture
def rows_read(monkeypatch):
    """How many rows openpyxl produced for the import (each one costs time and memory)."""
    counter = {"rows": 0}
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for produced in original(self, *args, **kwargs):
            counter["rows"] += 1
            yield produced

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return counter


def test_the_hand_written_workbook_is_a_real_import(project_client, project, site):
    """The builder below makes files the import reads: the hostile ones differ only in the hostile part."""
    data = xlsx(sheet(_row(1, imports.COLUMNS) + _row(2, row("李建国", PERSONS["李建国"]))))
    assert post(project_client, project, data).status_code == 302
    assert ImportBatch.objects.get().total_rows == 1


def test_a_sheet_declaring_every_cell_with_a_cell_in_the_last_row_is_read_in_bounded_rows(
    project_client, project, site, rows_read
):
    data = xlsx(
        sheet(
            _row(1, imports.COLUMNS) + _row(2, row("李建国", PERSONS["李建国"])) + _row(1048576, ["x"]),
            dimension="A1:XFD1048576",
        )
    )
    assert len(data) < 8 * 1024  # the attack is a few kilobytes
    response = post(project_client, project, data)
    # Reading stops after the run of blank rows: the far cell is never reached, nothing 16,384 wide.
    assert rows_read["rows"] <= 2 + imports.MAX_BLANK_RUN
    assert response.status_code == 302
    assert ImportBatch.objects.get().total_rows == 1


def test_rows_are_only_as_wide_as_the_template_whatever_the_sheet_declares():
    data = xlsx(sheet(_row(1, imports.COLUMNS) + _row(2, ["李建国"]), dimension="A1:XFD2"))
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = list(bounded_rows(workbook.active, columns=imports.READ_COLUMNS, last_row=10))
    assert [(number, len(values)) for number, values in rows] == [(1, 32), (2, 32)]


DAMAGED = {
    "cut short": sheet(_row(1, imports.COLUMNS) + _row(2, ["李建国"]))[:-40],
    "an entity from a DOCTYPE": sheet(
        _row(1, imports.COLUMNS) + _row(2, ["&xxe;"]),
        prolog='<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ),
    "billion laughs": sheet(
        _row(1, imports.COLUMNS) + _row(2, ["&lol9;"]),
        prolog='<!DOCTYPE worksheet [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">' for i in range(1, 10))
        + "]>",
    ),
}


@pytest.mark.parametrize("kind", DAMAGED)
def test_a_damaged_worksheet_is_a_clear_message_and_nothing_is_written(project_client, project, site, kind):
    response = post(project_client, project, xlsx(DAMAGED[kind]))
    assert response.status_code == 400
    assert "无法读取该 Excel 文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_original_file_download_hands_formulas_back_as_text(project_client, project, site):
    """下载原始文件 of an upload holding a formula and a hyperlink: the formula arrives as its text in a
    string cell, never as a formula, and the link is gone."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = imports.DATA_SHEET
    sheet.append(imports.COLUMNS)
    sheet.append(row("李建国", PERSONS["李建国"]))
    sheet["J2"] = '=HYPERLINK("http://198.51.100.7/x","点我")'
    sheet["K2"] = "说明"
    sheet["K2"].hyperlink = "file:///C:/Windows/System32/cmd.exe"
    out = io.BytesIO()
    workbook.save(out)
    assert post(project_client, project, out.getvalue()).status_code == 302
    batch = ImportBatch.objects.get()

    url = reverse("workforce:import_file", kwargs={"project_id": project.pk, "batch_id": batch.pk})
    response = project_client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml")
    served = load_workbook(io.BytesIO(response.content))[imports.DATA_SHEET]
    cell = served["J2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (
        '=HYPERLINK("http://198.51.100.7/x","点我")',
        "s",
        True,
    )
    assert served["K2"].hyperlink is None and served["A2"].value == "李建国"
