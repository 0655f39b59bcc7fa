"""Browser: 数据对接 says in one line whether anything is sent; a supervisor reaches it from the
project's tabs and enters the project's credentials; a worker held for his photo says why."""

from __future__ import annotations

import pytest

from exchange import services
from exchange.models import ProvinceCredential
from tests import factories

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECRET = "fedcba9876543210fedcba9876543210"


def test_the_clerk_reads_that_nothing_is_sent_and_why_a_worker_is_held(page, project_user, project, settings):
    settings.PROVINCE_SYNC_ENABLED = False
    entry = factories.RosterEntryFactory(team__unit__project=project)  # no photo
    services.enqueue_changes(project)
    login(page, project_user.username, factories.TEST_PASSWORD)
    page.get_by_test_id("main-menu").get_by_role("link", name="数据对接").click()
    state = page.get_by_test_id("exchange-state")
    assert "未配置省平台" in state.inner_text() and "不会向省平台推送任何数据" in state.inner_text()
    assert state.bounding_box()["height"] < 60  # one line at 1366 px
    page.get_by_text(f"项目人员【{entry.person.name}】缺少人员照片").wait_for()
    page.goto(f"/projects/{project.pk}/persons/{entry.person.pk}/")
    assert "缺少人员照片" in page.get_by_test_id("exchange-held").inner_text()


def test_a_supervisor_enters_the_projects_credentials(page, supervisor, project, settings):
    settings.PROVINCE_SYNC_ENABLED, settings.PROVINCE_ENDPOINT = True, "https://province.example/openapi"
    settings.PROVINCE_AES_KEY = ""
    login(page, supervisor.username, factories.TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_test_id("project-nav").get_by_role("link", name="数据对接").click()
    assert "本项目尚未录入省平台对接凭据" in page.get_by_test_id("exchange-state").inner_text()
    page.get_by_test_id("exchange-credential").click()
    assert page.input_value("#id_appid") == project.code
    page.fill("#id_secret", SECRET)
    page.get_by_role("button", name="保存").click()
    assert f"已接入省平台：appid {project.code}" in page.get_by_test_id("exchange-state").inner_text()
    assert SECRET not in page.content()
    assert ProvinceCredential.objects.get(project=project).secret == SECRET
