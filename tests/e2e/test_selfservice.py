"""工人自助查询 on a phone (375 px wide): the form, the record and 【我要反映】 fit without sideways scrolling."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alerts.models import Alert
from jmzhgd.core.months import month_back
from tests import factories
from wages.models import WageAccount

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_worker_looks_up_his_record_and_reports_on_a_phone(browser, live_server):
    entry = factories.RosterEntryFactory(
        person__phone="13912345678",
        team__unit__project__name="江门市蓬江区滨江新城某某花园二期住宅工程总承包项目",
    )
    factories.ContractFactory(roster_entry=entry, start_date=entry.entry_date, end_date=date(2030, 1, 1))
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True
    )
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_role("link", name="工人自助查询").click()
        expect(page.get_by_test_id("lookup-form")).to_be_visible()
        assert no_horizontal_overflow(page)

        page.fill("#id_name", entry.person.name)
        page.fill("#id_id_number", entry.person.id_number)
        page.fill("#id_phone_last4", "0000")
        page.fill("input[name='captcha_1']", "PASSED")
        page.get_by_role("button", name="查询").click()
        expect(page.get_by_test_id("lookup-message")).to_contain_text("未找到与填写信息一致的记录")

        page.fill("#id_phone_last4", entry.person.phone[-4:])
        page.fill("input[name='captcha_1']", "PASSED")
        page.get_by_role("button", name="查询").click()
        record = page.get_by_test_id("worker-record")
        expect(record).to_contain_text(entry.project.name)
        expect(record).to_contain_text("劳动合同：有效")
        assert no_horizontal_overflow(page)

        page.select_option("#id_kind", "attendance")
        page.fill("#id_text", "6月3日有出勤但考勤未记录")
        page.get_by_role("button", name="提交反映").click()
        expect(page.get_by_test_id("report-done")).to_be_visible()
        assert no_horizontal_overflow(page)
        assert Alert.objects.filter(rule="worker_report", project=entry.project).count() == 1
    finally:
        context.close()


def test_a_wage_report_offers_only_months_whose_wages_are_due(browser, live_server):
    """With the project paying on the 1st, last month is due whatever today is; this month never is."""
    entry = factories.RosterEntryFactory(person__phone="13912345678")
    WageAccount.objects.create(
        project=entry.project, branch_name="江门支行", account_number="6222000000000001", pay_day=1
    )
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True
    )
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto("/worker/")
        page.fill("#id_name", entry.person.name)
        page.fill("#id_id_number", entry.person.id_number)
        page.fill("#id_phone_last4", entry.person.phone[-4:])
        page.fill("input[name='captcha_1']", "PASSED")
        page.get_by_role("button", name="查询").click()
        expect(page.get_by_test_id("worker-record")).to_be_visible()

        page.select_option("#id_kind", "wages")
        offered = page.locator("#id_month option").evaluate_all("options => options.map(o => o.value)")
        today = timezone.localdate()
        assert offered == [""] + [f"{month_back(today, n):%Y-%m}" for n in range(1, 7)]
        assert page.locator("#id_month").input_value() == f"{month_back(today, 1):%Y-%m}"
        page.fill("#id_text", "上月工资未发")
        page.get_by_role("button", name="提交反映").click()
        expect(page.get_by_test_id("report-done")).to_be_visible()
        alert = Alert.objects.get(rule="worker_report", project=entry.project)
        assert alert.facts["工资月份"] == f"{month_back(today, 1):%Y-%m}"
    finally:
        context.close()
