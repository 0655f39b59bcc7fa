"""A worker on a 黑名单 sees it in 工人自助查询 on a phone (375 px) and objects; the page fits and has no
WCAG violation, and the objection reaches the supervisor's record."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from credit.models import Objection
from tests import factories
from tests.credit.conftest import make_listing
from tests.e2e.test_accessibility import axe_violations
from tests.e2e.test_selfservice import no_horizontal_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_listed_worker_sees_his_listing_and_objects_on_a_phone(browser, live_server):
    entry = factories.RosterEntryFactory(person__phone="13912345678")
    record = make_listing(person=entry.person, issuer="江门市住房和城乡建设局（建筑市场监管科）")
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
        credit = page.get_by_test_id("worker-credit")
        expect(credit).to_contain_text("黑名单")
        expect(credit).to_contain_text("2029-01-04")
        assert no_horizontal_overflow(page)
        assert axe_violations(page) == []

        page.get_by_label("对此记录有异议？请写明申诉理由").fill("本人从未参与讨薪冲突，请核实")
        page.get_by_role("button", name="提交申诉").click()
        expect(page.get_by_test_id("objection-message")).to_contain_text("申诉已提交")
        expect(page.get_by_test_id("worker-objection")).to_contain_text("待答复")
        assert no_horizontal_overflow(page)
        assert Objection.objects.get().record == record
    finally:
        context.close()
