"""A worker signs his labour contract on a phone (375 px) and downloads it sealed (docs/signatures.md §5)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from contracts.models import ContractSignature
from jmzhgd.core import seal
from jmzhgd.sms.backends import MemoryBackend
from tests import factories
from tests.e2e.conftest import draw_signature
from tests.e2e.test_accessibility import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def test_a_worker_signs_his_contract_on_a_phone(browser, live_server):
    MemoryBackend.outbox.clear()
    entry = factories.RosterEntryFactory(
        person__name="黄师傅", person__phone="13912345678", team__unit__project__name="滨江花园项目"
    )
    factories.ContractFactory(roster_entry=entry, start_date=entry.entry_date, end_date=date(2030, 3, 2))
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
        accept_downloads=True,
    )
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto("/worker/")
        page.get_by_test_id("my-contracts-link").click()
        assert page.evaluate(FITS) and axe_violations(page) == []
        page.fill("#id_name", "黄师傅")
        page.fill("#id_id_number", entry.person.id_number)
        page.fill("input[name='captcha_1']", "PASSED")
        page.get_by_test_id("send-code").click()
        expect(page.get_by_test_id("code-sent")).to_contain_text("验证码已发送")
        page.fill("#id_code", MemoryBackend.outbox[-1][1].split("验证码为 ")[1][:6])
        page.get_by_test_id("verify-code").click()
        expect(page.get_by_test_id("my-contract")).to_contain_text("滨江花园项目")
        assert page.evaluate(FITS) and axe_violations(page) == []
        page.get_by_test_id("open-contract").click()
        expect(page.get_by_test_id("contract-content")).to_contain_text("2030-03-02")
        assert page.evaluate(FITS) and axe_violations(page) == []

        draw_signature(page)
        page.get_by_test_id("sign-confirm").click()
        # Signing renders and seals the contract's PDF (about half a second alone, several seconds on
        # a machine busy with other test runs): the answer is waited for that long.
        expect(page.get_by_test_id("download-contract")).to_be_visible(timeout=30_000)
        assert page.evaluate(FITS) and axe_violations(page) == []
        with page.expect_download() as download:
            page.get_by_test_id("download-contract").click()
        data = open(download.value.path(), "rb").read()
    finally:
        context.close()
    assert seal.verify_pdf(data).valid
    assert ContractSignature.objects.get().contract.person_id == entry.person_id
