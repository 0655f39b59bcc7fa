import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD, ProjectUserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_page_shows_a_captcha_image_that_can_be_refreshed(page):
    page.goto("/accounts/login/")
    image = page.locator("img.captcha")
    expect(image).to_be_visible()
    first = image.get_attribute("src")
    assert image.evaluate("img => img.naturalWidth") > 0  # the image really rendered
    page.click("text=看不清？换一张")
    expect(image).not_to_have_attribute("src", first)


def test_issued_account_is_forced_to_change_its_password(page, project):
    user = ProjectUserFactory(project=project, must_change_password=True)
    login(page, user.username, TEST_PASSWORD)
    expect(page.get_by_test_id("must-change")).to_be_visible()
    page.goto(f"/projects/{project.pk}/")
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))
    page.fill("#id_old_password", TEST_PASSWORD)
    page.fill("#id_new_password1", "Jiangmen#2027new")
    page.fill("#id_new_password2", "Jiangmen#2027new")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("密码已修改")).to_be_visible()
    expect(page.get_by_role("heading", name=project.name)).to_be_visible()


def test_menu_differs_by_role(page, project_user, supervisor):
    login(page, project_user.username, TEST_PASSWORD)
    menu = page.get_by_test_id("main-menu")
    expect(menu.get_by_role("link", name="项目总览")).to_be_visible()
    expect(menu.get_by_role("link", name="申报审核")).to_have_count(0)
    page.get_by_role("button", name="退出").click()
    login(page, supervisor.username, TEST_PASSWORD)
    menu = page.get_by_test_id("main-menu")
    expect(menu.get_by_role("link", name="监管总览")).to_be_visible()
    expect(menu.get_by_role("link", name="审计日志")).to_be_visible()
    expect(menu.get_by_role("link", name="项目总览")).to_have_count(0)


def test_five_wrong_passwords_show_the_lockout_message(page, project_user):
    for _ in range(5):
        login(page, project_user.username, "wrong-password")
    expect(page.get_by_test_id("lockout")).to_contain_text("已被锁定")
    login(page, project_user.username, TEST_PASSWORD)
    expect(page.get_by_test_id("lockout")).to_be_visible()
