"""The wage pages: 工资专户, 生成工资表, a sheet's rows, the ledger, the poster, arrears and the menu."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from jmzhgd.core.menu import menu_for
from jmzhgd.core.models import AuditLog
from tests import factories
from tests.wages.approval import CONFIRMED
from wages import services, transitions
from wages.arrears import overdue_months
from wages.models import Payroll, PayRule, WageAccount

from .conftest import APRIL

pytestmark = pytest.mark.django_db


def url(name, project, **kwargs):
    return reverse(f"wages:{name}", kwargs={"project_id": project.pk, **kwargs})


ACCOUNT = {
    "bank_code": "105",
    "branch_name": "建行江门分行",
    "account_number": "4405 0166 0101 0000 1234",
    "opened_on": "2026-03-01",
    "deposit_amount": "500000",
    "deposit_form": "bank_guarantee",
    "pay_day": "10",
}


def test_the_wage_account_is_stored_encrypted_and_shown_masked(project_client, project):
    response = project_client.post(url("account", project), ACCOUNT)
    assert response.status_code == 302
    account = WageAccount.objects.get(project=project)
    assert account.account_number == "44050166010100001234" and account.pay_day == 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT account_number FROM wages_wageaccount WHERE id = %s", [account.pk])
        assert "44050166010100001234" not in cursor.fetchone()[0]
    html = project_client.get(url("account", project)).content.decode()
    assert "4405************1234" in html and "44050166010100001234" not in html
    assert (
        "4405"
        not in (AuditLog.objects.get(action="wage_account.save").after or {}).get("account_number", "")[6:-4]
    )


def test_saving_again_without_a_number_keeps_the_saved_one(project_client, project):
    project_client.post(url("account", project), ACCOUNT)
    project_client.post(url("account", project), {**ACCOUNT, "account_number": "", "pay_day": "20"})
    account = WageAccount.objects.get(project=project)
    assert account.account_number == "44050166010100001234" and account.pay_day == 20


@pytest.mark.parametrize(
    "change, message",
    [
        ({"account_number": "12AB"}, "8至32位数字"),
        ({"pay_day": "32"}, "31"),
        ({"bank_code": ""}, "请填写开户银行。"),  # the platform's message, not Django's stock one
        ({"deposit_amount": "-5"}, "工资保证金金额(元)不能为负数"),
        ({"opened_on": "2099-01-01"}, "开户日期不能晚于今天"),
        ({"opened_on": "2999-01-01"}, "开户日期应在 1950-01-01 至 2100-12-31 之间"),
    ],
)
def test_a_bad_wage_account_is_refused_and_nothing_is_written(project_client, project, change, message):
    response = project_client.post(url("account", project), {**ACCOUNT, **change})
    assert response.status_code == 200 and message in response.content.decode()
    assert not WageAccount.objects.exists()


def test_supervisors_read_the_wage_account_but_cannot_change_it(supervisor_client, project):
    assert supervisor_client.get(url("account", project)).status_code == 200
    assert supervisor_client.post(url("account", project), ACCOUNT).status_code == 403


def test_the_project_card_links_the_wage_account_and_no_longer_shows_a_plain_number(project_client, project):
    project_client.post(url("account", project), ACCOUNT)
    html = project_client.get(reverse("projects:card", args=[project.pk])).content.decode()
    assert url("account", project) in html and "4405************1234" in html


def test_the_worker_wage_card_is_edited_on_the_roster_and_used_by_the_next_sheet(
    project_client, actor, team, workers, today_may
):
    person = workers["wang"].person
    edit = reverse("workforce:person_edit", kwargs={"project_id": team.project_id, "person_id": person.pk})
    data = {
        "name": person.name,
        "bank_name": "中国农业银行江门分行",
        "bank_card_number": "6228481234567890123",
    }
    assert project_client.post(edit, data).status_code == 302
    sheet = services.generate_payroll(actor, team, APRIL)
    row = sheet.rows.get(person=person)
    assert (row.bank_code, row.bank_card_number) == ("103", "6228481234567890123")


def test_generate_page_creates_the_sheet_and_refuses_a_future_month(
    project_client, project, team, workers, today_may
):
    data = {"team": team.pk, "pay_month": "2026-06", "pay_rule": "daily", "rate": "300"}
    html = project_client.post(url("generate", project), data).content.decode()
    assert "不能生成未来月份的工资支付表" in html and not Payroll.objects.exists()
    html = project_client.post(url("generate", project), {**data, "rate": "-3"}).content.decode()
    assert "单价不能为负数" in html and not Payroll.objects.exists()
    response = project_client.post(url("generate", project), {**data, "pay_month": "2026-04"})
    sheet = Payroll.objects.get()
    assert response["Location"] == url("detail", project, payroll_id=sheet.pk)
    assert sheet.rows.count() == 3


def test_generate_offers_only_the_projects_own_worker_teams(project_client, project, other_project, team):
    factories.TeamFactory(unit__project=other_project, name="别人的班组")
    html = project_client.get(url("generate", project)).content.decode()
    assert "钢筋一班" in html and "别人的班组" not in html
    response = project_client.post(
        url("generate", project),
        {
            "team": factories.TeamFactory(unit__project=other_project).pk,
            "pay_month": "2026-04",
            "pay_rule": "manual",
        },
    )
    assert response.status_code == 200 and not Payroll.objects.exists()
    html = response.content.decode()  # the platform's wording, not Django's 「选择一个有效的选项」
    assert "班组的选项无效，请重新选择。" in html and "选择一个有效的选项" not in html


def test_the_sheet_page_saves_rows_and_shows_every_error_without_writing(
    project_client, actor, team, workers, today_may
):
    sheet = services.generate_payroll(actor, team, APRIL)
    rows = {r.person.name: r for r in sheet.rows.select_related("person")}
    detail = url("detail", team.project, payroll_id=sheet.pk)
    bad = {f"total_{rows['张三'].pk}": "800", f"total_{rows['李四'].pk}": "-1"}
    html = project_client.post(detail, bad).content.decode()
    assert "第2行 李四：应发金额不能为负数。" in html
    assert set(sheet.rows.values_list("total_amount", flat=True)) == {Decimal("0.00")}
    project_client.post(detail, {f"total_{rows['张三'].pk}": "800", f"deduct_{rows['张三'].pk}": "0"})
    rows["张三"].refresh_from_db()
    assert rows["张三"].actual_amount == Decimal("800.00")
    html = project_client.get(detail).content.decode()
    assert f"?month=2026-04&amp;team={team.pk}" in html  # the days link to the attendance


def test_the_ledger_filters_by_state_and_month(project_client, actor, project, team, workers, today_may):
    april = services.generate_payroll(actor, team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("100"))
    services.generate_payroll(actor, team, datetime.date(2026, 5, 1))
    transitions.submit(actor, april)
    html = project_client.get(url("ledger", project), {"status": "submitted"}).content.decode()
    assert html.count('data-testid="payroll-status"') == 1 and "已提交" in html
    html = project_client.get(url("ledger", project), {"month": "2026-05"}).content.decode()
    assert html.count('data-testid="payroll-status"') == 1 and "草稿" in html
    # A month that cannot be read is named under the field, as on every list (jmzhgd.core.forms).
    html = project_client.get(url("ledger", project), {"month": "2026-13"}).content.decode()
    assert "月份应为 YYYY-MM 格式" in html


def test_the_ledger_shows_money_with_two_decimals(project_client, actor, project, team, workers, today_may):
    april = services.generate_payroll(actor, team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("100"))
    april.rows.filter(person__name="张三").update(actual_amount=Decimal("250.50"))
    html = project_client.get(url("ledger", project)).content.decode()
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', html)
    assert cells == ["600.00", "550.50"]


def test_the_poster_names_the_parties_the_pay_day_the_minimum_wage_and_the_phones(
    project_client, project, settings
):
    from jmzhgd.core.models import ManagementPost

    settings.WAGE_MINIMUM_MONTHLY, settings.WAGE_COMPLAINT_PHONES = 1900, ["12333", "0750-3999999"]
    unit = factories.UnitFactory(project=project, corp_type="006")
    manager_team = factories.TeamFactory(unit=unit, team_type="management")
    factories.RosterEntryFactory(
        team=manager_team,
        category="manager",
        post=ManagementPost.objects.get(name="劳资专管员"),
        person__name="劳资赵",
    )
    WageAccount.objects.create(
        project=project, bank_code="105", branch_name="x", account_number="1234567890", pay_day=12
    )
    html = project_client.get(url("poster", project)).content.decode()
    assert unit.enterprise.name in html and "劳资赵" in html and project.builder_name in html
    assert (
        "每月 12 日前支付上月工资" in html
        and "1900 元/月" in html
        and "12333" in html
        and "0750-3999999" in html
    )


def test_arrears_lists_unpaid_months_after_the_pay_day(
    actor, project, other_project, team, workers, today_may
):
    WageAccount.objects.create(
        project=project, bank_code="105", branch_name="x", account_number="1234567890", pay_day=10
    )
    found = overdue_months(type(project).objects.filter(pk=project.pk))
    # April is due on 05-10 (passed on 05-20) and has no sheet; May is not due yet; March had workers too.
    assert [(o.month, o.status_label) for o in found] == [
        (datetime.date(2026, 3, 1), "未编制"),
        (APRIL, "未编制"),
    ]
    sheet = services.generate_payroll(actor, team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("100"))
    found = overdue_months(type(project).objects.filter(pk=project.pk))
    assert (found[-1].payroll_id, found[-1].status_label) == (sheet.pk, "草稿")
    sheet = transitions.approve(actor, transitions.submit(actor, sheet), confirmation=CONFIRMED)
    transitions.mark_paid(actor, sheet, balance_date=datetime.date(2026, 5, 11), voucher=_png())
    assert [o.month for o in overdue_months(type(project).objects.filter(pk=project.pk))] == [
        datetime.date(2026, 3, 1)
    ]


def _png():
    from .test_transitions import png

    return png()


def test_supervisors_see_arrears_of_their_districts_and_projects_see_their_own(
    client, supervisor, project_client, project, team, workers, today_may
):
    district_supervisor = factories.SupervisorFactory(districts=["440705"])
    client.force_login(district_supervisor)
    assert 'data-testid="arrears-row"' not in client.get(reverse("wages:arrears")).content.decode()
    client.force_login(supervisor)
    html = client.get(reverse("wages:arrears"), {"district": project.district}).content.decode()
    assert project.name in html and "钢筋一班" in html
    assert "钢筋一班" in project_client.get(url("project_arrears", project)).content.decode()


def test_the_menu_has_wages_for_projects_and_arrears_for_supervisors(project_user, supervisor):
    project_items = {i["label"]: i["url"] for i in menu_for(project_user)}
    assert project_items["工资管理"] == reverse("wages:ledger", args=[project_user.project_id])
    assert {i["label"]: i["url"] for i in menu_for(supervisor)}["工资监管"] == reverse("wages:arrears")
