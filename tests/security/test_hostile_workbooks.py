"""Hostile .xlsx uploads to 批量人员进场 (ASVS 5.2.1, 5.2.2): a huge declared sheet and damaged XML.

The workbooks are written by hand (tests/security/hostile_xlsx.py); every upload form's tests feed
the same four files in (the bank result's: tests/wages/test_bank_results.py).
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from jmzhgd.core.xlsx_read import bounded_rows
from tests.security.hostile_xlsx import DAMAGED_KINDS, WIDE, _row, hostile_workbooks, sheet, xlsx
from tests.workforce.fixtures.site import PERSONS, build_site, row
from workforce import imports
from workforce.models import ImportBatch

pytestmark = pytest.mark.django_db


def post(client, project, data: bytes):
    url = reverse("workforce:import", kwargs={"project_id": project.pk})
    return client.post(url, {"file": SimpleUploadedFile("名单.xlsx", data)})


def timed_post(client, project, data: bytes):
    """The answer to an upload and the seconds it took (after a first request has warmed the page,
    so the time is the file's, not the template's first compilation)."""
    client.get(reverse("workforce:import", kwargs={"project_id": project.pk}))
    started = time.monotonic()
    response = post(client, project, data)
    return response, time.monotonic() - started


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


HOSTILE = hostile_workbooks(imports.COLUMNS, row("李建国", PERSONS["李建国"]))


@pytest.mark.parametrize("kind", DAMAGED_KINDS)
def test_a_damaged_worksheet_is_a_clear_message_and_nothing_is_written(project_client, project, site, kind):
    response, seconds = timed_post(project_client, project, HOSTILE[kind])
    assert seconds < 1
    assert response.status_code == 400
    assert "无法读取该 Excel 文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_wide_declared_sheet_is_answered_within_a_second(project_client, project, site):
    response, seconds = timed_post(project_client, project, HOSTILE[WIDE])
    assert seconds < 1
    assert response.status_code == 302 and ImportBatch.objects.get().total_rows == 1


def test_a_doctype_is_refused_before_any_xml_parser_reads_the_file():
    from jmzhgd.core.xlsx_read import check_zip

    check_zip(xlsx(sheet(_row(1, ["a"]))))  # the same file without one passes
    for hidden in (xlsx(sheet(_row(1, ["a"]), prolog="<!DOCTYPE worksheet>")), _utf16_doctype()):
        with pytest.raises(ValidationError, match="无法读取该 Excel 文件"):
            check_zip(hidden)


def _utf16_doctype() -> bytes:
    body = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE worksheet []><worksheet/>'.encode("utf-16")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx(sheet("")))) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = body if item.filename.endswith("sheet1.xml") else source.read(item)
            target.writestr(item.filename, data)
    return out.getvalue()


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
