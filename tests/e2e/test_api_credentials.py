"""Browser: a project account issues an API credential and reads the 接口文档, all served locally."""

from __future__ import annotations

import pytest

from jmzhgd.api.models import ApiCredential
from tests import factories

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_project_creates_a_credential_sees_the_secret_once_and_revokes_it(page, project_user, project):
    login(page, project_user.username, factories.TEST_PASSWORD)
    page.get_by_test_id("main-menu").get_by_role("link", name="接口凭证").click()
    page.get_by_test_id("create-credential").click()
    page.fill("#id_name", "某某采集APP")
    page.get_by_role("button", name="创建").click()
    secret = page.get_by_test_id("app-secret").inner_text()
    credential = ApiCredential.objects.get()
    assert credential.secret == secret and page.get_by_test_id("app-key").inner_text() == credential.app_key

    page.get_by_role("link", name="返回接口凭证列表").click()
    assert secret not in page.content()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="吊销").click()
    page.get_by_text("已吊销，使用它的请求将被拒绝").wait_for()
    credential.refresh_from_db()
    assert credential.revoked_at is not None


def test_the_api_docs_render_offline_from_the_support_page(page):
    page.goto("/support/")
    page.get_by_role("link", name="采集人员上传接口及考勤接口文档").click()
    # Swagger UI is drawn by its bundled script (other hosts are unreachable in these tests).
    page.get_by_text("批量上传考勤记录").first.wait_for()
    page.get_by_text("签名示例").first.wait_for()
