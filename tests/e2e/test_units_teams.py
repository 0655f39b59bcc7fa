"""Browser flow of docs/requirements.md §6: a unit from the library, its management team, a worker team, the unit's exit."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD, EnterpriseFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_unit_found_in_the_library_enters_with_its_management_team_and_exits_with_its_teams(
    page, project_user
):
    EnterpriseFactory(name="江门市示范劳务有限公司")
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, project_user.username, TEST_PASSWORD)

    page.get_by_test_id("main-menu").get_by_role("link", name="参建单位管理").click()
    page.get_by_role("link", name="添加参建单位").click()
    page.get_by_placeholder("企业名称或统一社会信用代码").fill("示范劳务")
    page.get_by_role("button", name="查找").click()
    page.get_by_test_id("library-matches").get_by_role("button", name="选择").click()
    expect(page.get_by_test_id("chosen-enterprise")).to_contain_text("江门市示范劳务有限公司")
    page.locator("#id_corp_type").select_option(label="劳务分包")
    page.locator("#id_pm_name").fill("梁负责人")
    page.locator("#id_pm_phone").fill("13800138000")
    page.get_by_role("button", name="确定").click()

    teams = page.get_by_test_id("unit-teams")
    expect(teams).to_contain_text("劳务分包项目部")
    expect(teams).to_contain_text("管理人员班组")

    page.get_by_role("link", name="添加班组").click()
    page.locator("#id_name").fill("钢筋班")
    page.locator("#id_leader_name").fill("黄班长")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("team-status")).to_have_text("在场")

    page.get_by_test_id("team-card").get_by_role("link", name="江门市示范劳务有限公司").click()
    expect(page.get_by_test_id("unit-teams").get_by_role("row")).to_have_count(3)
    page.get_by_role("link", name="退场").click()
    expect(page.get_by_test_id("exit-summary")).to_contain_text("2 个班组")
    page.get_by_role("button", name="确认退场").click()

    expect(page.get_by_test_id("unit-status")).to_have_text("已退场")
    rows = page.get_by_test_id("unit-teams").get_by_role("row")
    expect(rows.filter(has_text="钢筋班")).to_contain_text("已退场")
    expect(rows.filter(has_text="劳务分包项目部")).to_contain_text("已退场")
    today = f"{timezone.localdate():%Y-%m-%d}"
    expect(page.get_by_test_id("unit-stays").get_by_role("row").nth(1)).to_contain_text(today)
