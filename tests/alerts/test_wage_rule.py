"""Rule 7 (工资未按期发放): opens after the 工资支付日期, follows the month's sheet, closes once it is
已发放, re-evaluates right after the wage actions, stays set-based and scoped on the 预警中心."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from alerts.evaluation import AUTO_CLOSE_NOTE, evaluate
from alerts.models import Alert, AlertState, SubjectType
from alerts.wage_rules import WAGE_RULE, split_team_month, team_month_id
from jmzhgd.core.codes import District
from projects.models import Project
from tests import factories
from wages import services, transitions
from wages.bank_results import import_bank_result
from wages.models import PayRule

pytestmark = pytest.mark.django_db
MAY_20 = datetime.date(2026, 5, 20)
MARCH, APRIL = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)


def run(today=MAY_20):
    return evaluate([WAGE_RULE], today=today)[WAGE_RULE]


def live():
    return {a.subject_label.split()[-1]: a for a in Alert.objects.filter(rule=WAGE_RULE, cleared_at=None)}


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(out, "PNG")
    return SimpleUploadedFile("凭证.png", out.getvalue(), content_type="image/png")


def approved_april(actor, team):
    sheet = services.generate_payroll(actor, team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("300"))
    return transitions.approve(actor, transitions.submit(actor, sheet), "已核对")


def test_the_subject_is_the_team_and_month():
    assert split_team_month(team_month_id(42, datetime.date(2026, 12, 1))) == (42, datetime.date(2026, 12, 1))


def test_unpaid_months_open_after_the_pay_day_and_not_before(team, workers, today_may):
    # The team's workers entered on 03-03: March is due 04-15 and April 05-15 (the default pay day).
    assert run(today=datetime.date(2026, 5, 15)).opened == 1
    assert set(live()) == {"2026-03"}
    assert run().opened == 1
    alerts = live()
    april = alerts["2026-04"]
    assert april.project_id == team.project_id and april.subject_type == SubjectType.TEAM_MONTH
    assert split_team_month(april.subject_id) == (team.pk, APRIL)
    assert april.subject_label == f"{team.name} 2026-04"
    assert april.facts == {
        "所属企业": team.unit.enterprise.name,
        "工资月份": "2026-04",
        "应发放日期": "2026-05-15",
        "工资支付表": "未编制",
    }


def test_the_threshold_in_settings_moves_the_opening(settings, team, workers, today_may):
    settings.ALERT_WAGE_OVERDUE_DAYS = 10
    run()
    assert set(live()) == {"2026-03"}  # April's pay day is only 5 days past


def test_the_alert_follows_the_sheet_and_closes_when_it_is_paid(actor, team, workers, today_may):
    run()
    april = live()["2026-04"]
    sheet = approved_april(actor, team)
    run()
    april.refresh_from_db()
    assert april.cleared_at is None and april.facts["工资支付表"] == "已审核"  # same alert, its age kept
    transitions.mark_paid(actor, sheet, balance_date=MAY_20, voucher=png())
    assert run().closed == 1
    april.refresh_from_db()
    assert april.cleared_at and april.state == AlertState.RESOLVED and april.note == AUTO_CLOSE_NOTE
    assert set(live()) == {"2026-03"}  # March is still unpaid


def test_an_open_arrear_older_than_the_window_stays_open_until_paid(settings, team, workers, today_may):
    run()
    settings.ALERT_WAGE_WINDOW_MONTHS = 1  # April only
    outcome = run()
    assert (outcome.closed, outcome.lasting) == (0, 2) and set(live()) == {"2026-03", "2026-04"}


def test_paying_the_sheet_closes_the_alert_right_after_the_action(
    actor, team, workers, today_may, django_capture_on_commit_callbacks
):
    run()
    sheet = approved_april(actor, team)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.mark_paid(actor, sheet, balance_date=MAY_20, voucher=png())
    assert set(live()) == {"2026-03"}


def test_the_bank_results_import_closes_the_alert_right_after_it(
    actor, team, workers, today_may, django_capture_on_commit_callbacks
):
    run()
    sheet = approved_april(actor, team)
    wb = Workbook()
    wb.active.append(["卡号", "金额", "状态"])
    for row in sheet.rows.all():
        wb.active.append([row.bank_card_number, str(row.actual_amount), "成功"])
    out = io.BytesIO()
    wb.save(out)
    with django_capture_on_commit_callbacks(execute=True):
        result = import_bank_result(actor, sheet, SimpleUploadedFile("结果.xlsx", out.getvalue()))
    assert result.sheet_paid and set(live()) == {"2026-03"}


def test_the_evaluation_costs_the_same_queries_for_one_project_or_many(today_may):
    def a_normal_night_with(projects):
        for _ in range(projects):
            factories.RosterEntryFactory(entry_date=MARCH)
        run()  # the first night opens the alerts; the next one only keeps them
        with CaptureQueriesContext(connection) as queries:
            assert run().lasting == 2 * Project.objects.count()
        return len(queries)

    assert a_normal_night_with(1) == a_normal_night_with(3)


def test_a_district_supervisor_sees_only_his_districts_wage_alerts(client, today_may):
    for district, name in ((District.PENGJIANG, "蓬江工地"), (District.XINHUI, "新会工地")):
        factories.RosterEntryFactory(
            entry_date=MARCH, team__unit__project__district=district, team__unit__project__name=name
        )
    run()
    client.force_login(factories.SupervisorFactory(districts=[District.PENGJIANG]))
    html = client.get(reverse("alerts:center"), {"rule": WAGE_RULE}).content.decode()
    assert "蓬江工地" in html and "新会工地" not in html and "工资未按期发放" in html
    foreign = Alert.objects.filter(rule=WAGE_RULE, project__district=District.XINHUI).first()
    assert client.get(reverse("alerts:detail", args=[foreign.project_id, foreign.pk])).status_code == 404


def test_the_alert_page_leads_to_the_months_sheet_once_there_is_one(
    supervisor_client, actor, team, workers, today_may
):
    run()
    april = live()["2026-04"]
    url = reverse("alerts:detail", args=[team.project_id, april.pk])
    assert "该月尚未编制工资支付表" in supervisor_client.get(url).content.decode()
    sheet = approved_april(actor, team)
    services.generate_payroll(actor, team, MARCH, pay_rule=PayRule.DAILY, rate=Decimal("300"))
    html = supervisor_client.get(url).content.decode()
    cell = html.split('data-testid="alert-sheets"')[1].split("</td>")[0]
    assert reverse("wages:detail", args=[team.project_id, sheet.pk]) in cell and "2026-03" not in cell
