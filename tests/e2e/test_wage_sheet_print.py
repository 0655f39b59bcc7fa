"""The printed 工资支付表, the sheet workers sign: every name and 发放结果 on one line, the column widths of
the .xlsx, and a team of 30 on one A4 landscape page (printed to PDF by Chromium and counted)."""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from decimal import Decimal

import pytest
from pypdf import PdfReader

from tests import factories
from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD
from wages.exports import SHEET_WIDTHS
from wages.models import Payroll, PayrollRow, PayrollStatus, RowPayStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_NAMES = ["阿依古丽·买买提", "欧阳思远", "司马长风", "诸葛孔明亮"]


def team_of_thirty(project) -> Payroll:
    team = factories.TeamFactory(unit__project=project, name="钢筋一班")
    payroll = Payroll.objects.create(
        project=project,
        unit=team.unit,
        team=team,
        pay_month=datetime.date(2026, 4, 1),
        status=PayrollStatus.APPROVED,
    )
    for number in range(30):
        name = LONG_NAMES[number] if number < len(LONG_NAMES) else None
        entry = factories.RosterEntryFactory(team=team, **({"person__name": name} if name else {}))
        PayrollRow.objects.create(
            payroll=payroll,
            person=entry.person,
            roster_entry=entry,
            days=26,
            work_hours=Decimal("234.50"),
            total_amount=Decimal("10400.00"),
            deductions=Decimal("120.00"),
            actual_amount=Decimal("10280.00"),
            bank_name="中国建设银行股份有限公司江门蓬江支行",
            bank_card_number="6217000000000000011",
            pay_status=RowPayStatus.FAILED if number % 2 else RowPayStatus.PAID,
        )
    return payroll


def lines_of(cell) -> int:
    """How many lines the text of a table cell takes (one client rect per line box)."""
    return cell.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el); "
        "return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }"
    )


def test_a_team_of_thirty_prints_on_one_a4_landscape_page_with_every_name_on_one_line(page, project_user):
    payroll = team_of_thirty(project_user.project)
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{payroll.project_id}/wages/{payroll.pk}/print/")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1062, "height": 750})  # A4 landscape less the margins, at 96 dpi

    rows = page.get_by_test_id("print-sheet").locator("tbody tr")
    assert rows.count() == 30
    for index in range(30):
        assert lines_of(rows.nth(index).locator("td").nth(1)) == 1  # 姓名
        assert lines_of(rows.nth(index).locator("td").nth(11)) == 1  # 发放结果

    # The columns keep the .xlsx's proportions.
    widths = (
        page.get_by_test_id("print-sheet")
        .locator("thead th")
        .evaluate_all("cells => cells.map(c => c.getBoundingClientRect().width)")
    )
    shares = [w / sum(widths) for w in widths]
    expected = [w / sum(SHEET_WIDTHS) for w in SHEET_WIDTHS]
    assert all(abs(got - want) < 0.005 for got, want in zip(shares, expected, strict=True)), shares

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    # The PDF's text comes out with radicals for some characters and spaces around "·": compare
    # in NFKC without white space.
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", reader.pages[0].extract_text()))
    assert "阿依古丽·买买提" in text and "合计" in text and "劳资专管员" in text
