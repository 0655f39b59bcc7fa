"""合同管理 in the browser: sign with a scan, 【重置】, 【提交】, 续签 (docs/requirements.md §9)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from contracts.models import Contract
from tests import factories
from tests.contracts.conftest import png_bytes
from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_a_contract_with_a_scan_reset_a_change_then_renew(page, project_user, tmp_path):
    project = project_user.project
    entry = factories.RosterEntryFactory(team__unit__project=project, person__name="陈大文")
    scans = [tmp_path / "劳动合同第1页.png", tmp_path / "劳动合同第2页.png"]
    for scan in scans:
        scan.write_bytes(png_bytes())

    login(page, project_user.username, TEST_PASSWORD)
    page.get_by_test_id("main-menu").get_by_role("link", name="合同管理").click()
    row = page.get_by_test_id("contract-table").locator("tr", has_text="陈大文")
    expect(row.get_by_test_id("contract-status")).to_have_text("未签订")
    row.get_by_role("link", name="合同").click()

    # Sign: the worker's unit is preselected; fill the period and attach a scan page.
    expect(page.locator("#id_unit")).to_have_value(str(entry.unit_id))
    page.fill("#id_start_date", "2026-03-03")
    page.fill("#id_end_date", "2027-03-02")
    page.set_input_files("#id_scans", str(scan))
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已为 陈大文 签订合同")).to_be_visible()
    expect(page.get_by_test_id("scan")).to_have_count(1)
    thumbnail = page.get_by_test_id("scan").locator("img")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.naturalWidth") > 0  # served through the checked view

    # Change a field, then 【重置】: the saved value comes back and nothing was saved.
    page.fill("#id_end_date", "2026-06-30")
    page.select_option("#id_contract_type", label="用工书面协议")
    page.get_by_test_id("reset").click()
    expect(page.locator("#id_end_date")).to_have_value("2027-03-02")
    expect(page.locator("#id_contract_type")).to_have_value("labour")
    assert Contract.objects.get(roster_entry=entry).end_date.isoformat() == "2027-03-02"

    # Change it and 【提交】: saved.
    page.fill("#id_end_date", "2027-02-28")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("合同信息已保存")).to_be_visible()
    expect(page.locator("#id_end_date")).to_have_value("2027-02-28")

    # 续签: the new period starts the day after; the old contract stays as history.
    page.get_by_test_id("renew").click()
    expect(page.locator("#id_start_date")).to_have_value("2027-03-01")
    page.fill("#id_end_date", "2026-12-31")
    page.get_by_role("button", name="提交").click()
    expect(
        page.locator("#id_end_date + .invalid-feedback, #id_end_date ~ .invalid-feedback")
    ).to_contain_text("不能早于合同生效日期")
    page.fill("#id_end_date", "2028-02-29")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已为 陈大文 续签合同")).to_be_visible()
    expect(page.get_by_test_id("contract-history")).to_contain_text("2026-03-03 至 2027-02-28")
    expect(page.locator("#id_start_date")).to_have_value("2027-03-01")
    assert Contract.objects.filter(roster_entry=entry).count() == 2

    # The viewer shows the scan page of the previous contract.
    page.get_by_test_id("contract-history").get_by_test_id("scan").locator("a").first.click()
    expect(page.get_by_test_id("scan-viewer").locator("img")).to_be_visible()
