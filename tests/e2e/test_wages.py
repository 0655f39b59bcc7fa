"""工资管理 in the browser: generate a team's sheet from attendance, submit, approve, export, mark paid
(保障农民工工资支付条例 art. 31)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests import factories
from tests.contracts.conftest import png_bytes
from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD
from tests.wages.conftest import present
from wages.models import Payroll, PayrollStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_generate_submit_approve_export_and_pay_a_sheet(page, project_user, tmp_path):
    project = project_user.project
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    team = factories.TeamFactory(unit__project=project, name="模板班", entry_date=last_month)
    entry = factories.RosterEntryFactory(
        team=team,
        entry_date=last_month,
        person__name="黄师傅",
        person__bank_card_number="6217000000000000123",
    )
    for day in (1, 2, 3, 4):
        present(entry, last_month.replace(day=day))
    voucher = tmp_path / "代发凭证.png"
    voucher.write_bytes(png_bytes())

    login(page, project_user.username, TEST_PASSWORD)
    page.get_by_test_id("main-menu").get_by_role("link", name="工资管理").click()
    page.get_by_test_id("generate-payroll").click()
    page.select_option("#id_team", label=f"{team.unit.enterprise.name} · 模板班")
    page.fill("#id_pay_month", f"{last_month:%Y-%m}")
    page.select_option("#id_pay_rule", "daily")
    page.fill("#id_rate", "350")
    page.get_by_role("button", name="生成").click()

    expect(page.get_by_text("已生成工资支付表")).to_be_visible()
    row = page.get_by_test_id("payroll-row").filter(has_text="黄师傅")
    expect(row.get_by_label("黄师傅 应发")).to_have_value("1400.00")
    expect(page.get_by_test_id("payroll-status")).to_have_text("草稿")

    page.get_by_test_id("submit-payroll").click()
    expect(page.get_by_test_id("payroll-status")).to_have_text("已提交")
    # One account submits and approves: it confirms in writing (docs/security.md).
    page.get_by_test_id("approve-confirmation").fill("已由总包项目负责人核对")
    page.get_by_test_id("approve-payroll").click()
    expect(page.get_by_test_id("payroll-status")).to_have_text("已审核")

    with page.expect_download() as download:
        page.get_by_test_id("export-sheet").click()
    ws = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert ws.cell(5, 2).value == "黄师傅" and ws.cell(5, 5).value == 4 and ws.cell(5, 9).value == 1400

    page.fill("#id_balance_date", timezone.localdate().isoformat())
    page.set_input_files("#id_voucher", str(voucher))
    page.get_by_test_id("pay-payroll").click()
    expect(page.get_by_test_id("payroll-status")).to_have_text("已发放")
    sheet = Payroll.objects.get(team=team)
    assert sheet.status == PayrollStatus.PAID and sheet.voucher and sheet.balance_date == timezone.localdate()
