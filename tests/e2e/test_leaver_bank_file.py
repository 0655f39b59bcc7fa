"""A worker who left mid-month without a 工资卡 in the browser: the team's bank file is still
delivered with him listed apart, and once the project registers his card from the sheet the next
bank file pays him (保障农民工工资支付条例 art. 31; DESIGN.md pattern 11)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from jmzhgd.core.actor import Actor
from tests import factories
from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD
from tests.wages.conftest import present
from wages import services, transitions
from wages.models import PayRule

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def bank_lines(page) -> dict[str, list]:
    with page.expect_download() as download:
        page.get_by_test_id("bank-file").click()
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    return {ws.title: [row[0] for row in ws.iter_rows(min_row=2, values_only=True)] for ws in book}


def test_a_leaver_without_a_card_is_listed_apart_then_paid_once_his_card_is_registered(page, project_user):
    project = project_user.project
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    team = factories.TeamFactory(unit__project=project, name="木工班", entry_date=month)
    stayer = factories.RosterEntryFactory(
        team=team, entry_date=month, person__name="陈师傅", card="6217000000000000123"
    )
    leaver = factories.RosterEntryFactory(
        team=team, entry_date=month, exit_date=month.replace(day=10), person__name="林师傅"
    )
    for entry in (stayer, leaver):
        present(entry, month.replace(day=2))
    actor = Actor.system("测试")
    sheet = services.generate_payroll(actor, team, month, pay_rule=PayRule.DAILY, rate=Decimal("300"))
    transitions.approve(actor, transitions.submit(actor, sheet), "已核对")

    page.on("dialog", lambda dialog: dialog.accept())
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/wages/{sheet.pk}/")
    assert bank_lines(page) == {"代发明细": ["陈师傅"], "未登记工资卡": ["林师傅"]}

    row = page.get_by_test_id("payroll-row").filter(has_text="林师傅")
    row.get_by_role("link", name="登记工资卡").click()
    page.fill("#id_bank_name", "中国农业银行江门分行")
    page.fill("#id_bank_card_number", "6228480000000000099")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("pay-card")).to_contain_text("6228***********0099")

    page.goto(f"/projects/{project.pk}/wages/{sheet.pk}/")
    assert bank_lines(page) == {"代发明细": ["林师傅", "陈师傅"]}  # the sheet's order, by name
