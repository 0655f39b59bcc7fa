"""【生成工资表】 (条例 art. 31): rows and sums from the month's attendance; bad input writes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jmzhgd.core.models import AuditLog
from tests import factories
from wages import services
from wages.models import Payroll, PayrollRow, PayRule

from .conftest import APRIL

pytestmark = pytest.mark.django_db


def test_rows_carry_the_days_and_hours_of_the_attendance_within_each_stay(actor, team, workers, today_may):
    payroll = services.generate_payroll(actor, team, APRIL)
    rows = {r.person.name: r for r in payroll.rows.select_related("person")}
    assert set(rows) == {"张三", "李四", "王五"}
    assert (rows["张三"].days, rows["张三"].work_hours) == (3, Decimal("25.50"))
    # 李四 left the team on 04-10: his days before that count, the 11th does not.
    assert (rows["李四"].days, rows["李四"].work_hours) == (2, Decimal("16.00"))
    assert (rows["王五"].days, rows["王五"].work_hours) == (1, Decimal("9.00"))
    assert rows["张三"].bank_code == "105" and rows["张三"].bank_card_number_masked == "6217***********0011"
    assert AuditLog.objects.filter(action="payroll.generate", object_id=str(payroll.pk)).exists()


def test_the_sums_agree_with_the_month_grid_of_the_attendance(actor, team, workers, today_may, project):
    from attendance.reports import MonthReport, entries_in_month

    payroll = services.generate_payroll(actor, team, APRIL)
    report = MonthReport(project, APRIL, entries_in_month(project, APRIL).filter(team=team))
    grid = {row.person.name: (row.days_present, row.hours) for row in report.all_rows()}
    sheet = {r.person.name: (r.days, r.work_hours) for r in payroll.rows.select_related("person")}
    assert sheet == grid


def test_daily_rule_fills_the_amounts(actor, team, workers, today_may):
    payroll = services.generate_payroll(actor, team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("300"))
    amounts = {
        r.person.name: (r.total_amount, r.actual_amount) for r in payroll.rows.select_related("person")
    }
    assert amounts["张三"] == (Decimal("900.00"), Decimal("900.00"))
    assert amounts["王五"] == (Decimal("300.00"), Decimal("300.00"))


def test_a_future_month_is_refused(actor, team, workers, today_may):
    with pytest.raises(ValidationError, match="未来月份"):
        services.generate_payroll(actor, team, datetime.date(2026, 6, 1))
    assert not Payroll.objects.exists()


def test_the_current_month_is_allowed(actor, team, workers, today_may):
    assert services.generate_payroll(actor, team, datetime.date(2026, 5, 1)).rows.count() == 2


def test_a_month_before_the_team_entered_is_refused(actor, team, workers, today_may):
    with pytest.raises(ValidationError, match="进场之前"):
        services.generate_payroll(actor, team, datetime.date(2026, 2, 1))
    assert not Payroll.objects.exists()


def test_a_second_sheet_for_the_same_team_and_month_is_refused(actor, team, workers, today_may):
    services.generate_payroll(actor, team, APRIL)
    with pytest.raises(ValidationError, match="已存在"):
        services.generate_payroll(actor, team, APRIL)
    assert Payroll.objects.count() == 1 and PayrollRow.objects.count() == 3


def test_a_management_team_gets_no_sheet(actor, project, today_may):
    team = factories.TeamFactory(unit__project=project, team_type="management")
    with pytest.raises(ValidationError, match="管理人员班组"):
        services.generate_payroll(actor, team, APRIL)


def test_a_team_without_workers_that_month_is_refused(actor, team, today_may):
    with pytest.raises(ValidationError, match="没有在册人员"):
        services.generate_payroll(actor, team, APRIL)
    assert not Payroll.objects.exists()


@pytest.fixture
def sheet(actor, team, workers, today_may):
    return services.generate_payroll(actor, team, APRIL)


def _row(sheet, name):
    return sheet.rows.get(person__name=name)


@pytest.mark.parametrize(
    "values, message",
    [
        ({"total_amount": "-1"}, "应发金额不能为负数"),
        ({"total_amount": "三千"}, "应发金额必须是数字"),
        ({"total_amount": "100.123"}, "最多保留两位小数"),
        ({"total_amount": "100", "deductions": "abc"}, "代扣代缴必须是数字"),
        ({"total_amount": "100", "deductions": "200"}, "代扣代缴不能大于应发金额"),
        ({"total_amount": "100", "actual_amount": "150"}, "须填写原因"),
        ({"total_amount": "", "actual_amount": "1"}, "应发金额不能为空"),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_written(actor, sheet, values, message):
    good, bad = _row(sheet, "张三"), _row(sheet, "李四")
    with pytest.raises(ValidationError) as caught:
        services.update_rows(actor, sheet, {good.pk: {"total_amount": "500"}, bad.pk: values})
    assert any(message in m and "李四" in m for m in caught.value.messages)
    good.refresh_from_db()
    assert good.total_amount == Decimal("0.00")


def test_amounts_are_saved_and_actual_defaults_to_total_minus_deductions(actor, sheet):
    row = _row(sheet, "张三")
    services.update_rows(
        actor, sheet, {row.pk: {"total_amount": "3,600", "deductions": "100", "actual_amount": ""}}
    )
    row.refresh_from_db()
    assert (row.total_amount, row.deductions, row.actual_amount) == (
        Decimal("3600"),
        Decimal("100"),
        Decimal("3500"),
    )
    assert AuditLog.objects.filter(action="payroll.row_update").count() == 1


def test_actual_above_total_with_a_reason_is_accepted(actor, sheet):
    row = _row(sheet, "张三")
    services.update_rows(
        actor,
        sheet,
        {row.pk: {"total_amount": "100", "actual_amount": "150", "difference_reason": "补发3月工资"}},
    )
    row.refresh_from_db()
    assert row.actual_amount == Decimal("150") and row.difference_reason == "补发3月工资"


def test_a_row_of_another_sheet_is_refused(actor, sheet, project, today_may):
    other_team = factories.TeamFactory(unit=sheet.unit, name="木工班")
    entry = factories.RosterEntryFactory(team=other_team)
    other = services.generate_payroll(actor, other_team, APRIL)
    foreign = other.rows.get(person=entry.person)
    with pytest.raises(ValidationError, match="不属于本工资支付表"):
        services.update_rows(actor, sheet, {foreign.pk: {"total_amount": "1"}})


def test_piece_rule_needs_every_quantity(actor, sheet):
    with pytest.raises(ValidationError, match="计件数量"):
        services.apply_rule(actor, sheet, PayRule.PIECE, "12.5")
    for row in sheet.rows.all():
        services.update_rows(actor, sheet, {row.pk: {"piece_quantity": "10", "total_amount": "0"}})
    services.apply_rule(actor, sheet, PayRule.PIECE, "12.5")
    assert set(sheet.rows.values_list("total_amount", flat=True)) == {Decimal("125.00")}


def test_sheets_and_rows_are_never_deleted(sheet):
    with pytest.raises(ValidationError, match="不能删除"):
        sheet.delete()
    with pytest.raises(ValidationError, match="不能删除"):
        Payroll.objects.all().delete()
    with pytest.raises(ValidationError, match="不能删除"):
        sheet.rows.first().delete()
    assert Payroll.objects.count() == 1
