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
