"""What a touch screen shows: why 删除 is disabled, and what an export button exports."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_team_with_workers_says_beside_delete_why_it_is_disabled(page, project_user):
    team = factories.TeamFactory(unit=factories.UnitFactory(project=project_user.project), name="钢筋班")
    factories.RosterEntryFactory(team=team, entry_date=datetime.date(2026, 3, 3))
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{team.project_id}/teams/{team.pk}/")
    expect(page.get_by_role("button", name="删除")).to_be_disabled()
    expect(page.get_by_test_id("delete-reason")).to_be_visible()
    expect(page.get_by_test_id("delete-reason")).to_have_text("已有人员进场记录，只能退场，不能删除")

    page.goto(f"/projects/{team.project_id}/attendance/?month=2026-04")
    expect(page.get_by_test_id("export-month")).to_have_text("导出当前筛选（2026年4月，1 人）")
