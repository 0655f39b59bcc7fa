"""批量人员进场 failures: an invalid ID number as typed (for the importing project only), and the
失败记录 file, which is the template again so that it can be fixed and uploaded as it is."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jmzhgd.core.actor import Actor
from tests.workforce.fixtures.site import PERSONS, build_site, row, workbook_bytes
from workforce import imports
from workforce.models import ImportBatch, RosterEntry

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试")
# 李建国's number with the check digit changed: 18 digits, but not a valid 公民身份号码 (GB 11643).
BAD_CHECK_DIGIT = PERSONS["李建国"][:-1] + ("5" if PERSONS["李建国"][-1] != "5" else "6")


@pytest.fixture
def site(project):
    return build_site(project)


def url(name, project, batch):
    return reverse(f"workforce:{name}", kwargs={"project_id": project.pk, "batch_id": batch.pk})


def upload_as_project(client, project, rows) -> ImportBatch:
    data = workbook_bytes(rows)
    client.post(
        reverse("workforce:import", kwargs={"project_id": project.pk}),
        {"file": SimpleUploadedFile("进场.xlsx", data)},
    )
    return ImportBatch.objects.get()


def report_id_cells(response) -> list[str]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return [r[2].value for r in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=3)]


def test_an_id_number_failing_its_check_digit_is_shown_as_typed_and_marked_to_its_project(
    project_client, project, site
):
    batch = upload_as_project(project_client, project, [row("李建国", BAD_CHECK_DIGIT)])
    assert batch.report[0]["id"] == "" and batch.report[0]["id_wrong"] is True
    page = project_client.get(url("import_detail", project, batch)).content.decode()
    cell = page.split('data-testid="id-cell">', 1)[1].split("</td>", 1)[0]
    assert BAD_CHECK_DIGIT in cell and "号码有误" in cell
    assert report_id_cells(project_client.get(url("import_report", project, batch))) == [
        f"{BAD_CHECK_DIGIT}（号码有误）"
    ]


def test_a_supervisor_is_told_the_id_number_is_wrong_but_not_shown_it(
    project_client, supervisor, project, site
):
    batch = upload_as_project(project_client, project, [row("李建国", BAD_CHECK_DIGIT)])
    supervisor_browser = Client()
    supervisor_browser.force_login(supervisor)
    page = supervisor_browser.get(url("import_detail", project, batch)).content.decode()
    assert "号码有误" in page and BAD_CHECK_DIGIT not in page
    assert report_id_cells(supervisor_browser.get(url("import_report", project, batch))) == ["（号码有误）"]


def failed_file(project, rows) -> tuple[ImportBatch, bytes]:
    upload = SimpleUploadedFile("进场.xlsx", workbook_bytes(rows))
    batch = imports.commit_batch(ACTOR, imports.create_preview(ACTOR, project, upload))
    return batch, imports.failed_rows_workbook(batch)


def test_the_failure_file_is_the_template_with_its_formats_and_dropdowns(project, site):
    _, data = failed_file(
        project, [row("王秀英", PERSONS["王秀英"]), row("李建国", BAD_CHECK_DIGIT, leader="是")]
    )
    failed = load_workbook(io.BytesIO(data))
    template = load_workbook(io.BytesIO(imports.build_template(project)))
    assert failed.sheetnames == template.sheetnames and failed.active.title == imports.DATA_SHEET
    sheet, blank = failed[imports.DATA_SHEET], template[imports.DATA_SHEET]
    for column in range(1, len(imports.COLUMNS) + 1):
        for row_number in (2, 3, imports.MAX_ROWS + 1):
            assert (
                sheet.cell(row_number, column).number_format == blank.cell(row_number, column).number_format
            )

    def validations(ws):
        return sorted((str(v.sqref), v.formula1, v.type) for v in ws.data_validations.dataValidation)

    assert validations(sheet) and validations(sheet) == validations(blank)
    assert failed[imports.LIST_SHEET].sheet_state == "hidden"
    # The failed row, as typed: the ID a text cell, the date a date shown as a date.
    assert sheet["C2"].value == BAD_CHECK_DIGIT and sheet["C2"].data_type == "s"
    assert sheet["C2"].number_format == "@"
    assert sheet["I2"].is_date and sheet["I2"].number_format == "yyyy-mm-dd"
    assert sheet["H2"].value == "是"
    assert [sheet["J1"].value, sheet["K1"].value] == ["原行号", "失败原因"]
    assert sheet["J2"].value == 3 and sheet["K2"].value.startswith("证件号码:")
    assert sheet["A3"].value is None


def test_the_failure_file_fixed_and_uploaded_again_imports_cleanly(project, site):
    _, data = failed_file(project, [row("王秀英", PERSONS["王秀英"]), row("李建国", BAD_CHECK_DIGIT)])
    workbook = load_workbook(io.BytesIO(data))
    workbook[imports.DATA_SHEET]["C2"].value = PERSONS["李建国"]  # the one bad cell, fixed
    fixed = io.BytesIO()
    workbook.save(fixed)

    again = imports.create_preview(ACTOR, project, SimpleUploadedFile("失败记录.xlsx", fixed.getvalue()))
    assert [(item["row"], item["status"], item["errors"]) for item in again.report] == [(2, "ok", [])]
    again = imports.commit_batch(ACTOR, again)
    assert (again.entered_count, again.failed_count) == (1, 0)
    assert RosterEntry.objects.filter(person=site.persons["李建国"]).exists()
