"""The keyboard alone (WCAG 2.1 SC 2.1.1, 3.3.1, 4.1.3): the login, 项目申报, 工人自助查询 and a wage
sheet's rows are filled and submitted with Tab, typing, arrow keys and Enter; a failed submit moves
the focus to a summary of its errors, and every message is the description of its field."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jmzhgd.core.actor import Actor
from projects.models import Declaration
from tests import factories
from tests.e2e.conftest import login
from tests.e2e.test_accessibility import axe_violations
from tests.factories import TEST_PASSWORD
from tests.wages.conftest import present
from wages.models import PayrollRow
from wages.services import generate_payroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def tab_to(page, target, limit: int = 80) -> None:
    """Press Tab until `target` (a selector or a locator) has the focus, as a keyboard user moves."""
    locator = page.locator(target) if isinstance(target, str) else target
    for _ in range(limit):
        if locator.first.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"按 Tab 键 {limit} 次仍未到达 {target}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def type_date(page, selector: str, day: datetime.date) -> None:
    """A date input is three segments in the order of the browser's own language (月/日/年 in an
    English Chromium, 年/月/日 in a Chinese one): a keyboard user types the digits in that order."""
    y, m, d = f"{day:%Y}", f"{day:%m}", f"{day:%d}"
    tab_to(page, selector)
    for keys in ([m + d + y], [d + m + y], [y, "ArrowRight", m + d]):
        page.eval_on_selector(selector, "e => { e.value = ''; }")
        for key in keys:
            page.keyboard.press(key) if key.startswith("Arrow") else page.keyboard.type(key)
        if page.eval_on_selector(selector, "e => e.value") == day.isoformat():
            return
    raise AssertionError(f"{selector} 用键盘填不进 {day}")


def choose(page, selector: str, value: str) -> None:
    """Pick an option of a closed <select> with the arrow keys."""
    tab_to(page, selector)
    for _ in range(60):
        if page.eval_on_selector(selector, "s => s.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{selector} 用方向键选不到 {value}")


def press_button(page, name: str) -> None:
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def expect_failed_submit_announced(page, field: str, message: str) -> None:
    summary = page.locator(".form-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("aria-live", "assertive")
    expect(summary).to_contain_text(message)
    expect(page.locator(field)).to_have_accessible_description(re.compile(re.escape(message)))
    expect(page.locator(field)).to_have_attribute("aria-invalid", "true")


def test_the_login_is_filled_and_submitted_by_keyboard_and_its_errors_are_announced(page, project_user):
    page.goto("/accounts/login/")
    press_button(page, "登录")
    expect_failed_submit_announced(page, "#id_username", "请填写账号。")
    expect(page.locator("#id_password")).to_have_accessible_description("请填写密码。")

    page.keyboard.press("Tab")  # from the summary into its first line, a link to 账号
    page.keyboard.press("Enter")
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type(project_user.username)
    type_into(page, "#id_password", "not-the-password")
    type_into(page, "#id_captcha_1", "PASSED")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("alert").first).to_be_focused()  # 账号或密码错误: about the whole form

    type_into(page, "#id_username", project_user.username)
    type_into(page, "#id_password", TEST_PASSWORD)
    type_into(page, "#id_captcha_1", "PASSED")
    tab_to(page, page.get_by_role("button", name="登录"))
    ring = page.evaluate("() => getComputedStyle(document.activeElement).outline")
    assert "solid 3px" in ring, ring  # the focus ring is plainly visible
    press_button(page, "登录")
    expect(page.get_by_test_id("main-menu")).to_be_visible()


def test_a_declaration_is_filled_and_submitted_by_keyboard(page):
    page.goto("/declare/")
    type_into(page, "#id_name", "江门市键盘测试综合楼工程")
    choose(page, "#id_category", "01")
    choose(page, "#id_nature", "001")
    choose(page, "#id_district", "440703")
    type_into(page, "#id_address", "江门市蓬江区键盘路8号")
    type_into(page, "#id_permit_number", "440703202612010009")
    type_into(page, "#id_total_investment", "18000")
    type_into(page, "#id_building_area", "42000")
    type_date(page, "#id_start_date", datetime.date(2026, 12, 1))
    type_date(page, "#id_planned_completion_date", datetime.date(2028, 12, 31))
    type_into(page, "#id_builder_name", "江门市键盘建设投资有限公司")
    type_into(page, "#id_builder_code", "not-a-code")
    press_button(page, "提交申报")
    expect_failed_submit_announced(page, "#id_builder_code", "统一社会信用代码")

    type_into(page, "#id_builder_code", factories.credit_code())
    type_into(page, "#id_contractor_name", "广东键盘建筑工程有限公司")
    type_into(page, "#id_contractor_code", factories.credit_code())
    type_into(page, "#id_contact_name", "林申报")
    type_into(page, "#id_contact_phone", "13800138222")
    type_into(page, "#id_captcha_1", "PASSED")
    press_button(page, "提交申报")
    expect(page.get_by_test_id("declaration-number")).to_be_visible()
    assert Declaration.objects.get().start_date == datetime.date(2026, 12, 1)


def test_a_worker_looks_himself_up_by_keyboard_on_a_phone(page):
    entry = factories.RosterEntryFactory(person__phone="13912345678")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/worker/")
    press_button(page, "查询")
    expect_failed_submit_announced(page, "#id_name", "请填写姓名。")

    type_into(page, "#id_name", entry.person.name)
    type_into(page, "#id_id_number", entry.person.id_number)
    type_into(page, "#id_phone_last4", "5678")
    type_into(page, "#id_captcha_1", "PASSED")
    press_button(page, "查询")
    expect(page.get_by_text(entry.project.name).first).to_be_visible()
    assert axe_violations(page) == []


def test_a_wage_sheets_rows_are_edited_by_keyboard(page, project_user):
    project = project_user.project
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    team = factories.TeamFactory(unit__project=project, entry_date=month)
    entry = factories.RosterEntryFactory(team=team, entry_date=month, person__name="黄师傅")
    for day in (1, 2):
        present(entry, month.replace(day=day))
    sheet = generate_payroll(Actor.system("测试"), team, month, pay_rule="daily", rate=Decimal("300"))

    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/wages/{sheet.pk}/")
    assert axe_violations(page) == []  # the editable rows: every input is named
    type_into(page, "input[aria-label='黄师傅 代扣代缴']", "20")
    type_into(page, "input[aria-label='黄师傅 实发']", "650")
    type_into(page, "input[aria-label='黄师傅 原因']", "补发上月加班费")
    press_button(page, "保存明细")
    row = PayrollRow.objects.get(payroll=sheet)
    assert (row.deductions, row.actual_amount, row.difference_reason) == (20, 650, "补发上月加班费")
