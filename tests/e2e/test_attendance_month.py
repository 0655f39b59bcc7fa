"""Browser flow of docs/requirements.md §8: open 项目月考勤, pick a month, filter by team, export and open the file."""

from __future__ import annotations

import datetime

import openpyxl
import pytest
from playwright.sync_api import expect

from attendance.summaries import rebuild_daily_summaries
from tests import factories
from tests.attendance.conftest import work_day
from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_project_opens_the_month_filters_by_team_and_exports_the_grid(page, project_user):
    project = project_user.project
    unit = factories.UnitFactory(project=project)
    rebar = factories.TeamFactory(unit=unit, name="钢筋班")
    formwork = factories.TeamFactory(unit=unit, name="木工班")
    steel = factories.RosterEntryFactory(team=rebar, person=factories.PersonFactory(name="钢筋工甲"))
    late = factories.RosterEntryFactory(
        team=rebar, person=factories.PersonFactory(name="钢筋工乙"), entry_date=datetime.date(2026, 4, 15)
    )
    wood = factories.RosterEntryFactory(team=formwork, person=factories.PersonFactory(name="木工丙"))
    for day in (1, 2, 3):
        work_day(steel, day)
        work_day(wood, day)
    work_day(late, 16)
    rebuild_daily_summaries()

    login(page, project_user.username, TEST_PASSWORD)
    page.get_by_test_id("main-menu").get_by_role("link", name="项目考勤").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("项目月考勤")

    page.locator("#id_month").fill("2026-04")
    page.locator("#id_team").select_option(label="钢筋班")
    page.get_by_role("button", name="查询").click()

    grid = page.get_by_test_id("month-grid")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026年04月")
    expect(grid.locator("tbody tr")).to_have_count(2)
    expect(grid).not_to_contain_text("木工丙")
    steel_row = grid.locator("tbody tr", has_text="钢筋工甲")
    expect(steel_row.locator("td.mark-present")).to_have_count(3)
    late_row = grid.locator("tbody tr", has_text="钢筋工乙")
    expect(late_row.locator("td.mark-off")).to_have_count(14)

    with page.expect_download() as download:
        page.get_by_test_id("export-month").click()
    assert download.value.suggested_filename.endswith("2026-04-月考勤.xlsx")
    with open(download.value.path(), "rb") as handle:  # the saved download has no file extension
        sheet = openpyxl.load_workbook(handle).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == f"{project.name} 2026年04月考勤表"
    assert rows[1][-1] == "签名"
    by_name = {r[1]: r for r in rows[2:]}
    assert sorted(by_name) == sorted(["钢筋工甲", "钢筋工乙", "2人"])
    assert rows[-1][1] == "2人"
    assert by_name["钢筋工甲"][8:12] == ("√", "√", "√", "×")
    assert rows[-1][-3] == 4  # 合计 days: 3 + 1


def test_the_name_and_totals_columns_stay_in_sight_while_the_days_scroll(page, project_user):
    project = project_user.project
    unit = factories.UnitFactory(
        project=project, enterprise__name="广东省江门市新会区银洲湖建筑工程劳务分包有限责任公司"
    )
    factories.RosterEntryFactory(
        team=factories.TeamFactory(unit=unit), person=factories.PersonFactory(name="钢筋工甲")
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/attendance/?month=2026-04")
    box = page.locator(".att-grid-box")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    row = page.get_by_test_id("month-grid").locator("tbody tr", has_text="钢筋工甲")
    name, totals = row.locator("td").nth(1), row.locator("td").last

    def inside(cell) -> bool:
        outer, inner = box.bounding_box(), cell.bounding_box()
        return outer["x"] <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5

    assert inside(totals)  # before scrolling: the totals are pinned to the right edge
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    assert inside(name) and inside(totals)
