"""A worker who left mid-month (保障农民工工资支付条例 art. 31; DESIGN.md pattern 11): his project may
still register the card it pays him into, the bank file pays everyone else and lists a line without
a card apart, and every message says what is true."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jmzhgd.core.models import AuditLog
from tests import factories
from wages import services, transitions
from wages.models import PayRule
from workforce.models import PayCard

from .conftest import APRIL

pytestmark = pytest.mark.django_db


def bank_file(client, sheet):
    return client.get(
        reverse("wages:bank_file", kwargs={"project_id": sheet.project_id, "payroll_id": sheet.pk})
    )


def lines(response, name="代发明细"):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [row for row in book[name].iter_rows(min_row=2, values_only=True)] if name in book else []


@pytest.fixture
def approved(actor, team, workers, today_may):
    """April's sheet, approved; 李四 left on 04-10 and this project never registered his card."""
    PayCard.objects.filter(person=workers["li"].person).delete()
    sheet = services.generate_payroll(actor, team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("300"))
    return transitions.approve(actor, transitions.submit(actor, sheet), "已核对")


def test_a_leaver_without_a_card_no_longer_blocks_the_teams_bank_file(project_client, approved):
    response = bank_file(project_client, approved)
    assert response.status_code == 200
    assert sorted(line[0] for line in lines(response)) == ["张三", "王五"]
    message = [m.message for m in response.wsgi_request._messages][0]
    assert "李四" in message and "没有登记本项目的工资卡" in message and "在场" not in message


def test_the_project_registers_the_leavers_card_and_the_next_bank_file_pays_him(
    project_client, approved, workers
):
    li = workers["li"].person
    edit = reverse("workforce:person_edit", kwargs={"project_id": approved.project_id, "person_id": li.pk})
    page = project_client.get(
        reverse("wages:detail", kwargs={"project_id": approved.project_id, "payroll_id": approved.pk})
    )
    assert edit in page.content.decode()  # the sheet links to where his card is registered
    response = project_client.post(
        edit,
        {"name": li.name, "bank_name": "中国农业银行江门分行", "bank_card_number": "6228480000000000099"},
    )
    assert response.status_code == 302
    message = [m.message for m in response.wsgi_request._messages][0]
    assert "已保存" in message and "维护" not in message
    paid = {line[0]: line for line in lines(bank_file(project_client, approved))}
    assert paid["李四"][1] == "6228480000000000099" and set(paid) == {"张三", "李四", "王五"}
    assert AuditLog.objects.get(action="pay_card.update").summary.endswith("原卡尾号 （无），新卡尾号 0099")
    assert AuditLog.objects.filter(action="payroll.row_card", project=approved.project).count() == 1


def test_a_sheet_whose_workers_have_no_card_at_all_says_so(project_client, actor, team, workers, today_may):
    PayCard.objects.all().delete()
    sheet = services.generate_payroll(actor, team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("300"))
    transitions.approve(actor, transitions.submit(actor, sheet), "已核对")
    response = bank_file(project_client, sheet)
    assert response.status_code == 302
    message = [m.message for m in response.wsgi_request._messages][0]
    assert "3人都没有登记本项目的工资卡" in message and "已退场的人员也可登记" in message


def test_a_sheet_never_reads_a_card_another_project_registered(
    actor, team, workers, today_may, other_project
):
    wang = workers["wang"].person
    PayCard.objects.filter(person=wang).delete()
    factories.RosterEntryFactory(team__unit__project=other_project, person=wang, card="6222020000000000999")
    sheet = services.generate_payroll(actor, team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("300"))
    assert sheet.rows.get(person=wang).bank_card_number == ""
    services.fill_missing_cards(actor, sheet)
    assert sheet.rows.get(person=wang).bank_card_number == ""
