"""Browser test of 【批量人员进场】: download the template, fill it, upload, preview the errors,
import the valid rows and download the failed ones."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD
from tests.workforce.fixtures.site import NOT_IN_LIBRARY, PERSONS, build_site, row
from workforce.models import ImportBatch, RosterEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_batch_entry_from_the_downloaded_template_with_preview_import_and_error_report(
    page, project, project_user, tmp_path
):
    build_site(project)
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/roster/")
    page.get_by_role("link", name="批量人员进场").click()

    with page.expect_download() as download:
        page.get_by_test_id("download-template").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    workbook = load_workbook(template)
    sheet = workbook["人员进场"]
    rows = [
        row("李建国", PERSONS["李建国"], day=date(2026, 3, 5)),
        row("王秀英", PERSONS["王秀英"], leader="是"),
        row(*NOT_IN_LIBRARY),
        row("黄伟", PERSONS["黄伟"], role="宇航员"),
    ]
    # The template formats 5,000 rows ahead, so rows are written by position, not appended.
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row_number, column=column, value=value)
    filled = tmp_path / "三月进场名单.xlsx"
    workbook.save(filled)

    page.set_input_files("input[type=file]", str(filled))
    page.get_by_role("button", name="上传并校验").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("待确认")
    expect(page.get_by_test_id("count-ok")).to_have_text("2")
    expect(page.get_by_test_id("count-error")).to_have_text("2")
    problems = page.get_by_test_id("problems")
    expect(problems).to_contain_text("第4行 证件号码: 人员库中没有该人员，请先通过采集APP或采集接口采集")
    expect(problems).to_contain_text("第5行 工种/岗位: “宇航员”不是工种名称")
    assert not RosterEntry.objects.exists()  # nothing written by the preview

    page.get_by_test_id("commit").click()
    expect(page.get_by_text("导入完成：成功进场2人，失败2行")).to_be_visible()
    expect(page.get_by_test_id("count-entered")).to_have_text("2")
    expect(page.get_by_test_id("batch-status")).to_have_text("已导入")

    with page.expect_download() as download:
        page.get_by_test_id("download-errors").click()
    assert download.value.suggested_filename == "三月进场名单-失败记录.xlsx"
    report = tmp_path / "errors.xlsx"
    download.value.save_as(report)
    # The template again: its formats reach far below the data, so only filled rows are read.
    rows = load_workbook(report).active.iter_rows()
    failed = [[c.value for c in r] for r in rows if any(c.value is not None for c in r)]
    assert failed[0][-1] == "失败原因"
    assert [(r[0], r[-2]) for r in failed[1:]] == [(NOT_IN_LIBRARY[0], 4), ("黄伟", 5)]
    assert failed[1][2] == NOT_IN_LIBRARY[1]  # the number as typed, so it can be fixed

    page.goto(f"/projects/{project.pk}/roster/")
    expect(page.get_by_role("link", name="王秀英", exact=True)).to_be_visible()
    page.goto(f"/projects/{project.pk}/roster/import/history/")
    expect(page.get_by_test_id("import-history")).to_contain_text("三月进场名单.xlsx")
    batch = ImportBatch.objects.get()
    assert (batch.entered_count, batch.failed_count, batch.total_rows) == (2, 2, 4)
    entries = RosterEntry.objects.select_related("person")
    assert {e.person.name: e.is_team_leader for e in entries} == {"李建国": False, "王秀英": True}
