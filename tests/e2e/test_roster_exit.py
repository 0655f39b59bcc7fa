"""Browser test of 批量退场 from the 花名册."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD, PersonFactory, RosterEntryFactory, TeamFactory, UnitFactory
from workforce.models import RosterEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_batch_exit_of_the_ticked_workers(page, project, project_user):
    team = TeamFactory(unit=UnitFactory(project=project))
    for name in ("退场甲", "退场乙", "留场丙"):
        RosterEntryFactory(team=team, person=PersonFactory(name=name), entry_date=date(2026, 3, 3))
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/roster/")
    page.get_by_label("选择 退场甲").check()
    page.get_by_label("选择 退场乙").check()
    page.get_by_test_id("batch-exit").click()
    listed = page.get_by_test_id("exit-list")
    expect(listed).to_contain_text("退场甲")
    expect(listed).to_contain_text("退场乙")
    expect(listed).not_to_contain_text("留场丙")
    page.get_by_label("退场日期").fill("2026-03-02")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_contain_text("不能早于进场日期")
    assert RosterEntry.objects.on_site().count() == 3

    page.get_by_label("退场日期").fill("2026-03-20")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已批量退场 2 人")).to_be_visible()
    assert set(RosterEntry.objects.on_site().values_list("person__name", flat=True)) == {"留场丙"}
    assert set(
        RosterEntry.objects.filter(exit_date=date(2026, 3, 20)).values_list("person__name", flat=True)
    ) == {
        "退场甲",
        "退场乙",
    }
