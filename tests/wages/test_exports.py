"""Exports of a sheet: the printable xlsx (条例 art. 15 fields), the bank's 代发 file, the print page and
the 工资清单, opened and checked cell by cell; names that look like formulas stay text."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jmzhgd.core.models import AuditLog
from wages import services, transitions
from wages.models import PayRule
from workforce.models import PayCard

from .conftest import APRIL

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(actor, team, workers, today_may):
    workers["zhang"].person.name = '=HYPERLINK("http://x")'
    workers["zhang"].person.save()
    sheet = services.generate_payroll(actor, team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("300"))
    row = sheet.rows.get(person=workers["zhang"].person)
    services.update_rows(
        actor, sheet, {row.pk: {"total_amount": "900", "deductions": "50", "actual_amount": ""}}
    )
    return sheet


def url(name, sheet):
    return reverse(f"wages:{name}", kwargs={"project_id": sheet.project_id, "payroll_id": sheet.pk})


def workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_sheet_xlsx_has_the_required_fields_rows_totals_and_a_signature_column(project_client, sheet):
    response = project_client.get(url("export", sheet))
    assert response.status_code == 200
    ws = workbook(response).active
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws["A1"].value == f"{sheet.project.name} 钢筋一班 2026年04月农民工工资支付表"
    assert [ws.cell(2, c).value for c in (1, 2, 3, 4)] == [
        "用人单位名称",
        sheet.unit.enterprise.name,
        "项目名称",
        sheet.project.name,
    ]
    assert [ws.cell(3, c).value for c in (1, 2)] == ["支付周期", "2026年04月（按月）"]
    header = [c.value for c in ws[4]]
    assert header[:4] == ["序号", "姓名", "身份证号码", "联系方式"] and header[-1] == "本人签字"
    rows = {r[1]: r for r in ws.iter_rows(min_row=5, max_row=7, values_only=True)}
    zhang = rows['=HYPERLINK("http://x")']  # a name that looks like a formula is written as typed, as text
    assert ws.cell(5, 2).data_type == "s"
    assert zhang[4:9] == (3, 25.5, 900, 50, 850)
    assert zhang[10] == "6217***********0011" and zhang[2].count("*") == 10
    assert rows["李四"][4:9] == (2, 16, 600, 0, 600)
    totals = [c.value for c in ws[8]]
    assert totals[:9] == ["合计", "3人", None, None, 6, 50.5, 1800, 50, 1750]
    assert AuditLog.objects.filter(action="payroll.export").count() == 1


def test_the_print_page_shows_the_same_totals(project_client, sheet):
    html = project_client.get(url("print", sheet)).content.decode()
    assert "2026年04月农民工工资支付表" in html and "A4 landscape" in html
    numbers = "".join(f'<td class="num">{v}</td>' for v in ("6", "50.50", "1800.00", "50.00", "1750.00"))
    assert f"<td>合计</td><td>3人</td><td></td><td></td>{numbers}" in html
    # The print keeps the .xlsx's column widths, as shares of the page.
    assert '<col style="width: 3.11%"><col style="width: 7.45%">' in html


def test_the_slips_give_each_worker_his_own_lines(project_client, sheet):
    html = project_client.get(url("slips", sheet)).content.decode()
    assert html.count('data-testid="wage-slip"') == 3
    assert "实发：<b>850.00</b> 元" in html


def test_the_bank_file_waits_for_approval(project_client, sheet):
    response = project_client.get(url("bank_file", sheet))
    assert response.status_code == 302
    messages = [m.message for m in response.wsgi_request._messages]
    assert messages == ["工资支付表审核后才能导出银行代发文件。"]


def test_the_bank_file_lists_name_full_card_amount_and_purpose(project_client, actor, sheet):
    transitions.approve(actor, transitions.submit(actor, sheet), "已核对")
    response = project_client.get(url("bank_file", sheet))
    ws = workbook(response).active
    lines = list(ws.iter_rows(values_only=True))
    assert lines[0] == ("户名", "卡号", "金额", "用途", "开户行")
    by_card = {line[1]: line for line in lines[1:]}
    assert by_card["6217000000000000011"] == (
        '=HYPERLINK("http://x")',
        "6217000000000000011",
        "850.00",
        "2026年04月工资",
        "中国建设银行江门分行",
    )
    assert by_card["6228480000000000022"][2] == "600.00" and len(by_card) == 3
    assert ws["B2"].data_type == "s"  # card numbers stay text, never 6.2E+18
    assert ws["C2"].data_type == "s"  # 金额 in 元 with its two decimals, as the sheet states it


def test_the_bank_file_lists_a_worker_without_a_card_apart(project_client, actor, sheet):
    sheet.rows.filter(person__name="王五").update(bank_card_number="", bank_card_number_masked="")
    PayCard.objects.filter(person__name="王五").delete()
    transitions.approve(actor, transitions.submit(actor, sheet), "已核对")
    response = project_client.get(url("bank_file", sheet))
    assert response.status_code == 200
    book = workbook(response)
    assert [row[0] for row in book["代发明细"].iter_rows(min_row=2, values_only=True)] == [
        '=HYPERLINK("http://x")',
        "李四",
    ]
    assert [row[:2] for row in book["未登记工资卡"].iter_rows(min_row=2, values_only=True)] == [("王五", 300)]
    assert "王五" in [m.message for m in response.wsgi_request._messages][0]


def test_supervisors_read_the_sheet_but_never_get_the_bank_file(supervisor_client, actor, sheet):
    transitions.approve(actor, transitions.submit(actor, sheet), "已核对")
    assert supervisor_client.get(url("export", sheet)).status_code == 200
    assert supervisor_client.get(url("bank_file", sheet)).status_code == 403
