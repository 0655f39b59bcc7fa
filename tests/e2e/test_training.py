"""A clerk records a 入场教育 for a whole team from the roster, enters a new worker (warned: no
training), records his training, and the 预警中心's 在场无安全培训 closes."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprises.services import enter_unit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import CorpType, TeamType
from tests.e2e.conftest import login
from tests.e2e.test_screen_fit import MEASURE
from tests.factories import (
    TEST_PASSWORD,
    EnterpriseFactory,
    PersonFactory,
    RosterEntryFactory,
    TeamFactory,
    id_number,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_team_is_trained_a_new_worker_is_warned_and_his_training_closes_the_alert(
    page, project, project_user, settings
):
    settings.ENTRY_CHECKS = "warn"
    unit = enter_unit(
        Actor.system(),
        project,
        EnterpriseFactory(name="五邑劳务有限公司"),
        CorpType.LABOUR_SUB,
        date(2026, 3, 1),
    )
    team = TeamFactory(unit=unit, name="钢筋一班", team_type=TeamType.WORKER, entry_date=date(2026, 3, 2))
    for _ in range(40):
        RosterEntryFactory(team=team)
    PersonFactory(name="新来工人", id_number=id_number(birth=date(1990, 6, 1)))
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, project_user.username, TEST_PASSWORD)

    page.goto(f"/projects/{project.pk}/trainings/")
    page.get_by_test_id("training-new").click()
    page.get_by_label("培训类型").select_option(label="入场教育")
    page.get_by_label("培训名称").fill("钢筋班三级安全教育")
    page.get_by_label("培训日期").fill(timezone.localdate().strftime("%Y-%m-%d"))
    page.get_by_label("培训时长（小时）").fill("8")
    page.get_by_role("button", name="保存").click()
    picker = page.get_by_test_id("attendee-picker")
    picker.get_by_label("班组").select_option(label="钢筋一班")
    picker.get_by_role("button", name="查询").click()
    page.get_by_test_id("add-team").click()
    expect(page.get_by_test_id("attendee-count")).to_have_text("40")
    assert page.evaluate(MEASURE) == []  # the detail page with its picker fits a 1366 screen
    training_url = page.url

    # Searched for: the 人员库 list is paginated by name, and the team's 40 random names may push him off page 1.
    page.goto(f"/projects/{project.pk}/roster/enter/?q=新来工人")
    page.get_by_label("选择 新来工人").check()
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("所属企业").select_option(label=str(unit))
    page.get_by_label("所属班组").select_option(label="钢筋一班")
    page.get_by_label("工种").select_option(label="钢筋工")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("warnings")).to_contain_text("新来工人")
    expect(page.get_by_test_id("warnings")).to_contain_text("未参加安全教育或入场教育")
    page.get_by_label("我已核实以上情况，确认进场").check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已成功进场 1 人")).to_be_visible()

    page.goto(f"/projects/{project.pk}/alerts/?rule=training_missing")
    expect(page.locator("main")).to_contain_text("在场无安全培训")
    expect(page.locator("main")).to_contain_text("新来工人")

    page.goto(training_url)
    picker = page.get_by_test_id("attendee-picker")
    picker.get_by_placeholder("姓名/手机号").fill("新来工人")
    picker.get_by_role("button", name="查询").click()
    page.get_by_test_id("candidate-table").get_by_role("checkbox").last.check()
    page.get_by_test_id("add-selected").click()
    expect(page.get_by_test_id("attendee-count")).to_have_text("41")

    page.goto(f"/projects/{project.pk}/alerts/?rule=training_missing")
    expect(page.locator("main")).not_to_contain_text("新来工人")
