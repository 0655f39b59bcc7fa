"""A code pasted with white space around it is kept whole by the browser and accepted by the server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from enterprises.models import Enterprise
from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD, credit_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_credit_code_pasted_with_a_leading_space_registers_the_enterprise(page, project_user):
    code = credit_code()
    login(page, project_user.username, TEST_PASSWORD)
    page.goto("/enterprises/register/")
    field = page.locator("#id_credit_code")
    field.focus()
    # What a paste does: the text arrives in one insertion, which maxlength would cut.
    page.keyboard.insert_text(f" {code}\t")
    assert field.input_value().strip() == code
    page.fill("#id_name", "江门市粘贴测试建筑劳务有限公司")
    page.fill("#id_contact_phone", "13800138000")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("江门市粘贴测试建筑劳务有限公司")
    expect(page.locator("body")).not_to_contain_text("当前为17位")
    assert Enterprise.objects.get().credit_code == code


def test_a_place_code_is_trimmed_at_its_ends_and_refused_with_a_space_inside_or_chinese(page, project_user):
    project = project_user.project
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/card/place-code/")
    field = page.get_by_label("场所码ID")
    field.fill("GD JM 0001")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("场所码ID中间不能有空格")
    page.get_by_label("场所码ID").fill("GD-江门-0001")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("不能有中文、全角字符")
    project.refresh_from_db()
    assert project.place_code == ""

    field = page.get_by_label("场所码ID")
    field.fill("")
    field.focus()
    page.keyboard.insert_text(" GD-JM-0001-ABCDEF\t")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("card-place-code")).to_contain_text("GD-JM-0001-ABCDEF")
    project.refresh_from_db()
    assert project.place_code == "GD-JM-0001-ABCDEF"
