"""Checks before 提交 and 审核: each check's reason per line; hard ones block, soft ones need the
approver's note, which the sheet shows and the audit keeps."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import MeasureUnit
from jmzhgd.core.models import AuditLog
from tests import factories
from wages import checks, services, transitions
from wages.models import MinimumWage, PayrollRow, PayRule

from .conftest import APRIL

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(actor, team, workers, contracts, today_may):
    return services.generate_payroll(actor, team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("300"))


def found(sheet, check: str) -> dict[str, tuple[str, str]]:
    sheet.refresh_from_db()
    return {f.person: (f.level, f.reason) for f in checks.run_checks(sheet) if f.check == check}


def test_a_clean_sheet_has_no_findings_and_goes_through(actor, sheet, project):
    assert checks.run_checks(sheet) == []
    reviewer = Actor(
        user=factories.ProjectUserFactory(project=project, username="zb-reviewer"), ip="127.0.0.1"
    )
    transitions.approve(reviewer, transitions.submit(actor, sheet))


def test_days_above_the_attendance_grid_block_submission(actor, sheet):
    PayrollRow.objects.filter(payroll=sheet, person__name="张三").update(days=5)
    assert found(sheet, "days") == {"张三": ("hard", "出勤天数 5 天多于当月考勤表的 3 天")}
    with pytest.raises(ValidationError, match="张三：出勤天数 5 天多于当月考勤表的 3 天"):
        transitions.submit(actor, sheet)


def test_a_worker_off_the_roster_that_month_is_hard(sheet, workers):
    type(workers["li"]).objects.filter(pk=workers["li"].pk).update(
        entry_date=datetime.date(2026, 3, 3), exit_date=datetime.date(2026, 3, 31)
    )
    assert found(sheet, "roster") == {"李四": ("hard", "2026-04 不在本班组花名册中")}


def test_a_worker_without_a_contract_that_month_is_soft(sheet, contracts):
    type(contracts["wang"]).objects.filter(pk=contracts["wang"].pk).update(
        start_date=datetime.date(2026, 5, 1)
    )
    assert found(sheet, "contract") == {"王五": ("soft", "2026-04 没有有效的劳动合同")}


def test_amounts_that_do_not_add_up_are_hard_unless_a_reason_explains_them(actor, sheet):
    PayrollRow.objects.filter(payroll=sheet, person__name="张三").update(actual_amount=Decimal("800"))
    assert found(sheet, "amounts")["张三"] == (
        "hard",
        "应发 900.00 − 代扣代缴 0.00 = 900.00，与实发 800.00 不符",
    )
    PayrollRow.objects.filter(payroll=sheet, person__name="张三").update(difference_reason="借支抵扣")
    assert found(sheet, "amounts")["张三"][0] == "soft"


def test_pay_below_the_minimum_wage_pro_rata_needs_a_note(actor, sheet, project):
    services.apply_rule(actor, sheet, PayRule.DAILY, "50")
    standard = MinimumWage.objects.filter(effective_from__lte=datetime.date(2026, 4, 30)).first()
    assert standard.monthly_amount == Decimal("1850.00")  # the seeded Jiangmen tier
    floor = (Decimal("1850") / Decimal("21.75") * 3).quantize(Decimal("0.01"))
    level, reason = found(sheet, "minimum_wage")["张三"]
    assert level == "soft" and f"应发 150.00 元低于最低工资标准折算的 {floor} 元" in reason
    transitions.submit(actor, sheet)
    # Another account approves: the submitter's own approval would first ask for its confirmation.
    reviewer = Actor(
        user=factories.ProjectUserFactory(project=project, username="zb-reviewer"), ip="127.0.0.1"
    )
    with pytest.raises(ValidationError, match="须填写审核说明"):
        transitions.approve(reviewer, sheet)


def test_a_piece_rate_other_than_the_contracts_is_soft(actor, sheet, contracts):
    type(contracts["zhang"]).objects.filter(pk=contracts["zhang"].pk).update(
        unit_price=Decimal("30"), measure_unit=MeasureUnit.SQUARE_METRE
    )
    PayrollRow.objects.filter(payroll=sheet).update(piece_quantity=Decimal("100"))
    services.apply_rule(actor, sheet, PayRule.PIECE, "25")
    assert found(sheet, "unit_price") == {
        "张三": ("soft", "计件单价 25.00 元与劳动合同约定的 30.00 元/平方米 不一致")
    }


def test_one_card_for_two_workers_and_the_leaders_card_are_flagged(sheet, team, workers):
    row = PayrollRow.objects.get(payroll=sheet, person__name="王五")
    row.bank_card_number = "6217000000000000011"  # 张三's card
    row.save()
    assert found(sheet, "card") == {
        "张三": ("soft", "工资卡尾号 0011 同时登记给 王五"),
        "王五": ("soft", "工资卡尾号 0011 同时登记给 张三"),
    }
    leader = factories.RosterEntryFactory(team=team, person__name="赵班长", card="6228480000000009999")
    team.leader_name, team.leader_id_number = "赵班长", leader.person.id_number
    team.save()
    row.bank_card_number = "6228480000000009999"
    row.save()
    assert found(sheet, "card")["王五"] == ("soft", "工资卡尾号 9999 是班组长 赵班长 的工资卡")


def test_soft_findings_pass_approval_with_a_note_shown_and_audited(actor, client, project_user, sheet):
    services.apply_rule(actor, sheet, PayRule.DAILY, "50")
    transitions.submit(actor, sheet)
    sheet = transitions.approve(actor, sheet, "计件结算，月底补足差额")
    assert sheet.check_note == "计件结算，月底补足差额"
    assert {f["check"] for f in sheet.check_findings} == {"minimum_wage"}
    row = AuditLog.objects.filter(action="payroll.approve").latest("id")
    assert row.after["check_note"] == "计件结算，月底补足差额"
    client.force_login(project_user)
    page = client.get(reverse("wages:detail", args=[sheet.project_id, sheet.pk])).content.decode()
    assert "审核说明：计件结算，月底补足差额" in page and "低于最低工资标准" in page


def test_the_page_lists_each_lines_reason_and_asks_for_the_note(actor, client, project_user, sheet):
    PayrollRow.objects.filter(payroll=sheet, person__name="张三").update(days=5)
    client.force_login(project_user)
    url = reverse("wages:detail", args=[sheet.project_id, sheet.pk])
    page = client.get(url).content.decode()
    assert "张三：出勤天数 5 天多于当月考勤表的 3 天" in page
    response = client.post(reverse("wages:submit", args=[sheet.project_id, sheet.pk]), follow=True)
    assert "须先更正才能提交" in response.content.decode()


def test_the_payroll_upload_answers_each_lines_findings(client, project, team, workers, today_may):
    from tests.api.conftest import make_signed

    from .test_api import body, path

    response = make_signed(client, project).post(path(project), body(team, workers))
    findings = {(c["name"], c["check"]): (c["level"], c["reason"]) for c in response.json()["checks"]}
    assert findings[("张三", "amounts")] == (
        "hard",
        "应发 900.00 − 代扣代缴 0.00 = 900.00，与实发 880.00 不符",
    )
    assert findings[("李四", "contract")][0] == "soft"
    assert all("*" in c["idCardNumber"] for c in response.json()["checks"])
