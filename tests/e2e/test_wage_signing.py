"""A worker signs his wage line on a phone (375 px): from the sheet's signing link to a signed line."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attendance.models import DailySummary
from jmzhgd.core.actor import Actor
from jmzhgd.core.months import month_back
from jmzhgd.sms.backends import MemoryBackend
from tests import factories
from tests.e2e.conftest import draw_signature
from tests.e2e.test_accessibility import axe_violations
from wages import services, signing, transitions
from wages.models import LineSignature, PayRule

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_worker_signs_his_line_on_a_phone(browser, live_server):
    MemoryBackend.outbox.clear()
    month = month_back(timezone.localdate(), 1)
    team = factories.TeamFactory(name="钢筋一班", entry_date=datetime.date(2026, 3, 2))
    entry = factories.RosterEntryFactory(team=team, person__name="黄师傅", person__phone="13912345678")
    for day in (2, 3):
        DailySummary.objects.create(
            project_id=entry.project_id,
            person_id=entry.person_id,
            work_date=month.replace(day=day),
            hours=Decimal("8"),
            is_present=True,
        )
    actor = Actor.system("测试")
    sheet = services.generate_payroll(actor, team, month, pay_rule=PayRule.DAILY, rate=Decimal("350"))
    sheet = transitions.approve(actor, transitions.submit(actor, sheet), "劳动合同补签中")
    link = f"/worker/sign/{signing.sign_token(sheet)}/"

    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    fits = "document.documentElement.scrollWidth <= window.innerWidth"
    try:
        page.goto(link)
        assert axe_violations(page) == []
        page.fill("#id_name", "黄师傅")
        page.fill("#id_id_number", entry.person.id_number)
        page.fill("input[name='captcha_1']", "PASSED")
        page.get_by_test_id("send-code").click()
        expect(page.get_by_test_id("code-sent")).to_contain_text("验证码已发送")
        assert page.evaluate(fits) and axe_violations(page) == []
        code = MemoryBackend.outbox[-1][1].split("验证码为 ")[1][:6]
        page.fill("#id_code", code)
        page.get_by_test_id("verify-code").click()
        line = page.get_by_test_id("own-line")
        expect(line).to_contain_text("700.00 元")
        assert page.evaluate(fits) and axe_violations(page) == []

        draw_signature(page)
        expect(page.get_by_test_id("sign-confirm")).to_be_in_viewport()
        page.get_by_test_id("sign-confirm").click()
        expect(page.get_by_test_id("sign-done")).to_contain_text("已确认签名")
        assert page.evaluate(fits) and axe_violations(page) == []
    finally:
        context.close()
    signature = LineSignature.objects.get()
    assert signature.row.person_id == entry.person_id and signature.image.size > 0
