"""Browser tests of the 人员进场 wizard: 建筑工人, 管理人员 (the 岗位 list follows the unit's type),
and a refusal that names the person and enters nobody."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprises.services import enter_unit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import CorpType, TeamType
from tests.e2e.conftest import login
from tests.factories import (
    TEST_PASSWORD,
    EnterpriseFactory,
    PersonFactory,
    RosterEntryFactory,
    TeamFactory,
    id_number,
)
from workforce.models import RosterEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def adult(name):
    return PersonFactory(name=name, id_number=id_number(birth=date(1988, 6, 1)))


def labour_unit(project, enterprise_name: str):
    return enter_unit(
        Actor.system(),
        project,
        EnterpriseFactory(name=enterprise_name),
        CorpType.LABOUR_SUB,
        date(2026, 3, 1),
    )


@pytest.fixture
def site(project):
    labour = labour_unit(project, "五邑劳务有限公司")
    team = TeamFactory(unit=labour, name="钢筋一班", team_type=TeamType.WORKER, entry_date=date(2026, 3, 2))
    return labour, team


def test_wizard_enters_workers_chosen_across_pages_and_keeps_them_after_back(
    page, project, project_user, site, settings
):
    settings.PAGE_SIZE = 2
    labour, team = site
    for name in ("甲工人", "乙工人", "丙工人"):
        adult(name)
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/roster/")
    page.get_by_test_id("enter-persons").click()
    # Ordered by name: 丙工人 and 乙工人 on page 1, 甲工人 on page 2.
    page.get_by_label("选择 丙工人").check()
    page.get_by_role("button", name="下一页").click()
    page.get_by_label("选择 甲工人").check()
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_test_id("entry-persons")).to_contain_text("甲工人")
    expect(page.get_by_test_id("entry-persons")).to_contain_text("丙工人")
    page.go_back()
    expect(page.get_by_test_id("selected-count")).to_have_text("2")
    expect(page.get_by_label("选择 甲工人")).to_be_checked()
    expect(page.get_by_test_id("selected-list")).to_contain_text("丙工人")
    page.get_by_role("button", name="下一步").click()

    expect(page.get_by_label("进场时间")).to_have_value(timezone.localdate().strftime("%Y-%m-%d"))
    page.get_by_label("所属企业").select_option(label=str(labour))
    page.get_by_label("所属班组").select_option(label="钢筋一班")
    page.get_by_label("工种").select_option(label="钢筋工")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已成功进场 2 人")).to_be_visible()
    table = page.get_by_test_id("roster-table")
    expect(table).to_contain_text("甲工人")
    expect(table).to_contain_text("丙工人")
    expect(table).not_to_contain_text("乙工人")
    assert set(RosterEntry.objects.values_list("person__name", flat=True)) == {"甲工人", "丙工人"}
    assert RosterEntry.objects.filter(team=team, work_type__name="钢筋工").count() == 2


def test_wizard_for_managers_offers_only_the_posts_of_the_units_type(page, project, project_user, site):
    supervision = enter_unit(
        Actor.system(),
        project,
        EnterpriseFactory(name="江门监理公司"),
        CorpType.SUPERVISION,
        date(2026, 3, 1),
    )
    contractor = enter_unit(
        Actor.system(),
        project,
        EnterpriseFactory(name="江粤总包公司"),
        CorpType.GENERAL_CONTRACTOR,
        date(2026, 3, 1),
    )
    adult("王经理")
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/roster/enter/")
    page.get_by_label("选择 王经理").check()
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("管理人员").check()
    expect(page.get_by_label("工种")).to_be_hidden()
    posts = page.get_by_label("岗位")

    page.get_by_label("所属企业").select_option(label=str(supervision))
    expect(posts.locator("option", has_text="总监理工程师")).to_have_count(1)
    expect(page.get_by_label("所属班组").locator("option:checked")).to_have_text("监理项目部")
    page.get_by_label("所属企业").select_option(label=str(contractor))
    expect(posts.locator("option", has_text="总监理工程师")).to_have_count(0)
    expect(posts.locator("option", has_text="项目经理")).to_have_count(1)
    expect(page.get_by_label("所属班组").locator("option:checked")).to_have_text("总承包单位项目部")
    posts.select_option(label="项目经理")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已成功进场 1 人")).to_be_visible()
    entry = RosterEntry.objects.get()
    assert (
        entry.post.name == "项目经理" and entry.unit == contractor and entry.team.name == "总承包单位项目部"
    )


def test_a_refusal_names_the_person_and_enters_nobody(page, project, project_user, site):
    labour, team = site
    adult("新来的")
    young = PersonFactory(
        name="少年工", id_number=id_number(birth=timezone.localdate() - timedelta(days=15 * 365 + 10))
    )
    on_site = RosterEntryFactory(team=team, person=adult("已在场"))
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/roster/enter/")
    # Someone already on site cannot even be ticked.
    expect(page.get_by_label("选择 已在场")).to_be_disabled()
    page.get_by_label("选择 新来的").check()
    page.get_by_label("选择 少年工").check()
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("所属企业").select_option(label=str(labour))
    page.get_by_label("所属班组").select_option(label="钢筋一班")
    page.get_by_label("工种").select_option(label="木工")
    page.get_by_role("button", name="提交").click()
    refusal = page.get_by_test_id("refusal")
    expect(refusal).to_contain_text(
        f"少年工（{young.id_number_masked}）：进场时年龄15岁，未满16周岁，不能进场"
    )
    expect(refusal).to_contain_text("本次未办理任何人的进场")
    expect(refusal).not_to_contain_text("新来的")
    assert list(RosterEntry.objects.all()) == [on_site]


def test_the_roster_fits_a_1366_pixel_screen_with_long_enterprise_names(page, project, project_user):
    # Office screens of 1366 px: every column, 操作 included, without a horizontal scrollbar.
    unit = labour_unit(project, "广东省江门市新会区某某建筑劳务分包工程有限责任公司")
    team = TeamFactory(unit=unit, name="钢筋混凝土结构施工第一班组", team_type=TeamType.WORKER)
    RosterEntryFactory(team=team, entry_date=date(2026, 3, 3), is_team_leader=True)
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/roster/")
    table = page.get_by_test_id("roster-table")
    expect(table.get_by_role("link", name="详细")).to_be_visible()
    container = table.locator("xpath=..")
    assert container.evaluate("e => e.scrollWidth <= e.clientWidth"), "the roster scrolls sideways"
    details = table.get_by_role("link", name="详细").bounding_box()
    assert details["x"] + details["width"] <= 1366
