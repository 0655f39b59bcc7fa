"""The issue's browser test: declare a project → a supervisor approves → the declarant's first
login with the printed one-time password → forced password change → 项目总览."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD
from tests.projects.helpers import png_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROJECT_NAME = "江门市浏览器测试综合楼工程"
PHONE = "13800138111"


def fill_declaration(page, builder_code: str, contractor_code: str) -> None:
    page.fill("#id_name", PROJECT_NAME)
    page.select_option("#id_category", "01")
    page.select_option("#id_nature", "001")
    page.select_option("#id_district", "440703")
    page.fill("#id_address", "江门市蓬江区浏览器路8号")
    page.fill("#id_permit_number", "440703202612010001")
    page.fill("#id_total_investment", "18000")
    page.fill("#id_building_area", "42000")
    page.fill("#id_start_date", "2026-12-01")
    page.fill("#id_planned_completion_date", "2028-12-31")
    page.fill("#id_description", "浏览器测试申报")
    page.fill("#id_builder_name", "江门市浏览器建设投资有限公司")
    page.fill("#id_builder_code", builder_code)
    page.fill("#id_contractor_name", "广东浏览器建筑工程有限公司")
    page.fill("#id_contractor_code", contractor_code)
    page.fill("#id_contact_name", "林申报")
    page.fill("#id_contact_phone", PHONE)
    page.set_input_files(
        "#id_attachments", files=[{"name": "施工许可证.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.fill("input[name='captcha_1']", "PASSED")


def look_up(page, number: str) -> None:
    page.goto("/declare/status/")
    page.fill("#id_number", number)
    page.fill("#id_phone", PHONE)
    page.fill("input[name='captcha_1']", "PASSED")
    page.get_by_role("button", name="查询").click()


def test_declare_approve_and_first_login_reach_the_overview(page):
    supervisor = factories.SupervisorFactory(username="jgf_e2e", real_name="浏览器监管员")

    # 1. The declarant opens 【项目申报】 from the login page; a bad credit code is refused first.
    page.goto("/accounts/login/")
    page.get_by_role("link", name="项目申报").click()
    expect(page.get_by_role("heading", name="项目申报")).to_be_visible()
    builder, contractor = factories.credit_code(), factories.credit_code()
    fill_declaration(page, builder[:17] + ("0" if builder[17] != "0" else "1"), contractor)
    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_text("统一社会信用代码校验位不正确")).to_be_visible()
    fill_declaration(page, builder, contractor)
    page.get_by_role("button", name="提交申报").click()
    number = page.get_by_test_id("declaration-number").inner_text().strip()
    assert re.fullmatch(r"SB\d{14}", number)

    # 2. 申报进度查询 by number + phone: 待审核.
    look_up(page, number)
    expect(page.get_by_test_id("status-label")).to_have_text("待审核")

    # 3. A supervisor approves it from the review queue.
    login(page, supervisor.username, TEST_PASSWORD)
    page.get_by_test_id("main-menu").get_by_role("link", name="申报审核").click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_test_id("declaration-detail")).to_contain_text(PROJECT_NAME)
    expect(page.get_by_role("link", name="施工许可证.png")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="通过").click()

    # 4. The printable 账号开通通知书 shows the account and its one-time password.
    notice = page.get_by_test_id("account-notice")
    expect(notice).to_contain_text("账号开通通知书")
    expect(page.get_by_role("button", name="打印通知书")).to_be_visible()
    username = page.get_by_test_id("notice-username").inner_text().strip()
    password = page.get_by_test_id("notice-password").inner_text().strip()
    assert username.startswith("xm440703") and len(password) == 12
    page.reload()  # shown once only
    expect(page.get_by_test_id("notice-password")).to_have_count(0)
    expect(page.get_by_test_id("notice-password-hidden")).to_be_visible()
    page.get_by_role("button", name="退出").click()

    # The declarant's lookup now says 已通过, and reveals no account details.
    look_up(page, number)
    expect(page.get_by_test_id("status-label")).to_have_text("已通过")
    expect(page.get_by_test_id("status-result")).not_to_contain_text(username)
    expect(page.get_by_test_id("status-result")).not_to_contain_text(password)

    # 5. First login with the printed password: forced change, then the project's overview.
    login(page, username, password)
    expect(page.get_by_test_id("must-change")).to_be_visible()
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Jiangmen#2027first")
    page.fill("#id_new_password2", "Jiangmen#2027first")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("密码已修改")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/projects/\d+/$"))
    expect(page.get_by_role("heading", name=PROJECT_NAME)).to_be_visible()
    # Builder and general contractor were entered as units on approval.
    expect(page.get_by_test_id("units-on-site")).to_have_text("2")
    expect(page.get_by_test_id("teams-on-site")).to_have_text("2")
