"""工人自助查询 and wages: his own rows of this and last month once 已审核 (card by its last 4 digits
only), nothing for a mismatch; 【我要反映】 about wages names the month and leads to his team's sheet."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert
from jmzhgd.core.months import month_back
from selfservice.forms import ReportForm
from tests import factories
from wages.models import Payroll, PayrollRow, PayrollStatus, WageAccount
from wages.months import DEFAULT_PAY_DAY, pay_deadline

from .test_lookup import ask, neutral

pytestmark = pytest.mark.django_db
CARD = "9558801234564321"


def sheet(team, back, status, *rows):
    """A sheet of `team` for the month `back` months ago, with (entry, actual amount) rows."""
    payroll = Payroll.objects.create(
        project=team.project,
        unit=team.unit,
        team=team,
        pay_month=month_back(timezone.localdate(), back),
        status=status,
    )
    for entry, actual in rows:
        PayrollRow.objects.create(
            payroll=payroll,
            person=entry.person,
            roster_entry=entry,
            total_amount=Decimal(actual) + 200,
            actual_amount=Decimal(actual),
            bank_card_number=CARD,
        )
    return payroll


@pytest.fixture
def colleague(worker):
    return factories.RosterEntryFactory(team=worker.team)


def test_he_sees_his_rows_of_this_and_last_month_once_approved_and_nobody_elses(client, worker, colleague):
    other_team = factories.TeamFactory(unit=worker.unit)
    sheet(worker.team, 1, PayrollStatus.APPROVED, (worker, "8800.00"), (colleague, "7777.00"))
    sheet(worker.team, 0, PayrollStatus.PAID, (worker, "3100.00"))
    sheet(worker.team, 2, PayrollStatus.CONFIRMED, (worker, "6600.00"))  # older than last month
    sheet(other_team, 1, PayrollStatus.SUBMITTED, (worker, "1234.00"))  # not yet 已审核
    html = neutral(ask(client, worker.person.name, worker.person.id_number))
    wages = html[html.index('data-testid="worker-wages"') :]
    assert "实发 8800.00 元" in wages and "应发 9000.00 元" in wages and "实发 3100.00 元" in wages
    assert wages.count('text-bg-warning">未发放') == 1 and wages.count('text-bg-success">已发放') == 1
    assert "工资卡尾号 4321" in wages and "9558" not in html
    for hidden in ("7777.00", "6600.00", "1234.00"):
        assert hidden not in html


def test_a_mismatched_combination_shows_no_wages(client, worker):
    sheet(worker.team, 1, PayrollStatus.PAID, (worker, "8800.00"))
    html = neutral(ask(client, worker.person.name, worker.person.id_number, "0000"))
    assert "未找到与填写信息一致的记录" in html
    assert "8800.00" not in html and "worker-wages" not in html and "4321" not in html


def report(client, worker, **data):
    return client.post(
        reverse("selfservice:report"), {"project": worker.project_id, "text": "工资没发", **data}
    )


def test_the_report_form_offers_wages_and_asks_which_month(client, worker):
    html = ask(client, worker.person.name, worker.person.id_number).content.decode()
    assert '<option value="wages">工资未按时足额发放</option>' in html
    today = timezone.localdate()
    latest_due = month_back(today, 1 if pay_deadline(month_back(today, 1), DEFAULT_PAY_DAY) <= today else 2)
    assert f'<option value="{latest_due:%Y-%m}" selected>' in html
    assert f'<option value="{today:%Y-%m}"' not in html
    response = report(client, worker, kind="wages", month="")
    assert response.status_code == 400 and "反映工资问题请选择工资月份" in response.content.decode()
    response = report(client, worker, kind="wages", month="1999-01")
    assert response.status_code == 400 and "请选择近半年内已到发放日期的工资月份" in response.content.decode()
    assert not Alert.objects.exists()


def account(project, pay_day):
    return WageAccount.objects.create(
        project=project, branch_name="江门支行", account_number="6222000000000001", pay_day=pay_day
    )


def offered_months(form) -> list[str]:
    return [value for value, _ in form.fields["month"].choices if value]


def test_only_months_whose_wages_are_due_are_offered(worker):
    """Wages of a month are due on the pay day of the next month: on 7 December, with the default
    pay day (15th), November's are not due yet and December's never are; October's are."""
    projects = [(worker.project_id, "项目")]
    form = ReportForm(projects=projects, today=datetime.date(2026, 12, 7))
    assert offered_months(form) == ["2026-10", "2026-09", "2026-08", "2026-07", "2026-06"]
    assert form.fields["month"].initial == "2026-10"
    form = ReportForm(projects=projects, today=datetime.date(2026, 12, 15))
    assert offered_months(form)[:2] == ["2026-11", "2026-10"] and len(offered_months(form)) == 6


def test_a_month_not_yet_due_at_the_chosen_project_is_refused_with_its_pay_day(worker):
    account(worker.project, pay_day=20)
    early = account(factories.ProjectFactory(), pay_day=5).project
    projects = [(worker.project_id, "项目"), (early.pk, "早发项目")]
    data = {"project": worker.project_id, "kind": "wages", "month": "2026-11", "text": "工资没发"}
    form = ReportForm(data, projects=projects, today=datetime.date(2026, 12, 7))
    assert "2026-11" in offered_months(form)  # due at the project paying on the 5th
    assert not form.is_valid()
    assert form.errors["month"] == [
        "2026年11月的工资应在 2026-12-20 前发放，尚未到期；到期后仍未发放再来反映。"
    ]
    form = ReportForm({**data, "project": early.pk}, projects=projects, today=datetime.date(2026, 12, 7))
    assert form.is_valid(), form.errors


def test_a_wage_report_leads_the_supervisor_to_his_teams_sheet_of_that_month(
    client, supervisor, worker, colleague
):
    own = sheet(worker.team, 2, PayrollStatus.APPROVED, (worker, "8800.00"))
    other_team = sheet(factories.TeamFactory(unit=worker.unit), 2, PayrollStatus.APPROVED, (colleague, "1"))
    ask(client, worker.person.name, worker.person.id_number)
    month = month_back(timezone.localdate(), 2)  # always due, whatever today is
    assert report(client, worker, kind="wages", month=f"{month:%Y-%m}").status_code == 200
    alert = Alert.objects.get(rule="worker_report")
    client.force_login(supervisor)
    html = client.get(reverse("alerts:detail", args=[worker.project_id, alert.pk])).content.decode()
    assert reverse("wages:detail", args=[worker.project_id, own.pk]) in html
    assert reverse("wages:detail", args=[worker.project_id, other_team.pk]) not in html


def test_a_report_on_attendance_names_no_month_and_links_no_sheet(client, supervisor, worker):
    sheet(worker.team, 2, PayrollStatus.APPROVED, (worker, "8800.00"))
    ask(client, worker.person.name, worker.person.id_number)
    report(client, worker, kind="attendance", month=f"{month_back(timezone.localdate(), 2):%Y-%m}")
    alert = Alert.objects.get(rule="worker_report")
    assert "工资月份" not in alert.facts
    client.force_login(supervisor)
    html = client.get(reverse("alerts:detail", args=[worker.project_id, alert.pk])).content.decode()
    assert "alert-sheets" not in html


def test_he_sees_the_card_each_project_pays_him_into_by_its_last_four_digits(client, worker):
    from workforce.models import PayCard

    other = factories.RosterEntryFactory(person=worker.person, team__unit__project__name="江海名苑项目")
    PayCard.objects.create(
        project=worker.project,
        person=worker.person,
        bank_name="中国建设银行江门分行",
        bank_card_number="6217000000000004321",
    )
    PayCard.objects.create(
        project=other.project,
        person=worker.person,
        bank_name="中国农业银行江门分行",
        bank_card_number="6228480000000008765",
    )
    html = neutral(ask(client, worker.person.name, worker.person.id_number))
    cards = html.split('data-testid="stay-card"')[1:]
    assert len(cards) == 2 and "6217" not in html and "6228" not in html
    assert any("中国建设银行江门分行 尾号4321" in c for c in cards)
    assert any("中国农业银行江门分行 尾号8765" in c for c in cards)
