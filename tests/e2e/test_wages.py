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


def confirmed(page, action) -> str:
    """Run `action`, accept the confirmation it raises and return the question asked."""
    asked = []

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    action()
    page.wait_for_load_state()
    assert asked, "no confirmation was asked"
    return asked[0]


def test_returning_a_submitted_sheet_asks_first(page, project_user):
    project = project_user.project
    team = factories.TeamFactory(unit__project=project, name="退回班")
    payroll = Payroll.objects.create(
        project=project,
        unit=team.unit,
        team=team,
        pay_month=datetime.date(2026, 4, 1),
        status=PayrollStatus.SUBMITTED,
    )
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/wages/{payroll.pk}/")
    page.get_by_label("退回原因").fill("出勤天数有误")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_test_id("return-payroll").click()
    expect(page.get_by_test_id("payroll-status")).to_have_text("已提交")
    assert "确定退回" in confirmed(page, lambda: page.get_by_test_id("return-payroll").click())
    expect(page.get_by_test_id("return-reason")).to_contain_text("出勤天数有误")
    payroll.refresh_from_db()
    assert payroll.status == PayrollStatus.DRAFT


def test_generate_submit_approve_export_and_pay_a_sheet(page, project_user, tmp_path):
    project = project_user.project
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    team = factories.TeamFactory(unit__project=project, name="模板班", entry_date=last_month)
    entry = factories.RosterEntryFactory(
        team=team,
        entry_date=last_month,
        person__name="黄师傅",
        card="6217000000000000123",
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

    # Each step that moves the sheet on asks first; a dismissed question changes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_test_id("submit-payroll").click()
    expect(page.get_by_test_id("payroll-status")).to_have_text("草稿")
    assert Payroll.objects.get(team=team).status == PayrollStatus.DRAFT
    assert "确定提交" in confirmed(page, lambda: page.get_by_test_id("submit-payroll").click())
    expect(page.get_by_test_id("payroll-status")).to_have_text("已提交")
    # No labour contract on record: a soft check the approver answers in writing.
    expect(page.get_by_test_id("check-findings")).to_contain_text("没有有效的劳动合同")
    page.get_by_test_id("check-note-input").fill("劳动合同正在补签")
    assert "确定审核通过" in confirmed(page, lambda: page.get_by_test_id("approve-payroll").click())
    expect(page.get_by_test_id("payroll-status")).to_have_text("已审核")

    with page.expect_download() as download:
        page.get_by_test_id("export-sheet").click()
    ws = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert ws.cell(5, 2).value == "黄师傅" and ws.cell(5, 5).value == 4 and ws.cell(5, 9).value == 1400

    # The bank's 代发 file states 金额 in 元 with two decimals.
    with page.expect_download() as download:
        page.get_by_test_id("bank-file").click()
    bank = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert [c.value for c in bank[2]][:3] == ["黄师傅", "6217000000000000123", "1400.00"]

    page.fill("#id_balance_date", timezone.localdate().isoformat())
    page.set_input_files("#id_voucher", str(voucher))
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_test_id("pay-payroll").click()
    expect(page.get_by_test_id("payroll-status")).to_have_text("已审核")
    assert Payroll.objects.get(team=team).status == PayrollStatus.APPROVED
    page.set_input_files("#id_voucher", str(voucher))
    assert "不能再修改或退回" in confirmed(page, lambda: page.get_by_test_id("pay-payroll").click())
    expect(page.get_by_test_id("payroll-status")).to_have_text("已发放")
    sheet = Payroll.objects.get(team=team)
    assert sheet.status == PayrollStatus.PAID and sheet.voucher and sheet.balance_date == timezone.localdate()

    # The 台账 shows the sheet's sums with two decimals.
    page.get_by_test_id("main-menu").get_by_role("link", name="工资管理").click()
    line = page.get_by_test_id("payroll-table").locator("tbody tr").filter(has_text="模板班")
    expect(line.locator("td.text-end")).to_have_text(["1400.00", "1400.00"])
