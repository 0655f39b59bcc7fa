"""工资保证金 rules: a started project whose 总包 holds no deposit, and a deposit 动用 and not 补足 in
time; each opens on the right projects and closes once the cause is gone."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from alerts.deposit_rules import DEPOSIT_MISSING, DEPOSIT_NOT_RESTORED
from alerts.evaluation import evaluate
from alerts.models import Alert, AlertState, SubjectType
from deposits import services
from deposits.models import EventKind
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import ProjectStatus
from tests import factories
from tests.deposits.conftest import make_deposit

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试")
START = datetime.date(2026, 6, 1)  # a Monday: 20 working days later is Monday 29 June
USED_ON = datetime.date(2026, 7, 1)  # a Wednesday: 10 working days later is Wednesday 15 July


def live(rule):
    return list(Alert.objects.filter(rule=rule, cleared_at=None))


def started(**kwargs):
    return factories.ProjectFactory(status=ProjectStatus.UNDER_CONSTRUCTION, start_date=START, **kwargs)


def test_a_started_project_without_a_deposit_alerts_after_the_legal_term_and_clears_once_deposited():
    project = started()
    factories.ProjectFactory(status=ProjectStatus.PREPARING, start_date=START)  # not started
    evaluate([DEPOSIT_MISSING], today=datetime.date(2026, 6, 29))
    assert live(DEPOSIT_MISSING) == []  # the 20th working day: still in time
    evaluate([DEPOSIT_MISSING], today=datetime.date(2026, 6, 30))
    (alert,) = live(DEPOSIT_MISSING)
    assert (alert.project_id, alert.subject_type) == (project.pk, SubjectType.PROJECT)
    assert alert.facts == {"总承包单位": project.contractor_name, "开工日期": "2026-06-01"}

    make_deposit(project)
    evaluate([DEPOSIT_MISSING], today=datetime.date(2026, 6, 30))
    alert.refresh_from_db()
    assert alert.cleared_at is not None and alert.state == AlertState.RESOLVED


def test_a_deposit_in_another_district_does_not_cover_the_project():
    project = started()
    make_deposit(project, district="440705")
    evaluate([DEPOSIT_MISSING], today=datetime.date(2026, 8, 1))
    assert [a.project_id for a in live(DEPOSIT_MISSING)] == [project.pk]


def test_a_used_deposit_not_restored_in_ten_working_days_alerts_on_the_contractors_projects():
    project = started()
    sibling = started(contractor_code=project.contractor_code, contractor_name=project.contractor_name)
    started(contractor_code=project.contractor_code, district="440705")  # another 区县: not covered
    completed = started(contractor_code=project.contractor_code)
    completed.status = ProjectStatus.COMPLETED
    completed.save()
    deposit = make_deposit(project)
    services.record_event(
        ACTOR, deposit, EventKind.USED, happened_on=USED_ON, amount=Decimal("80000"), reason="通知书"
    )

    evaluate([DEPOSIT_NOT_RESTORED], today=datetime.date(2026, 7, 15))
    assert live(DEPOSIT_NOT_RESTORED) == []
    evaluate([DEPOSIT_NOT_RESTORED], today=datetime.date(2026, 7, 16))
    alerts = live(DEPOSIT_NOT_RESTORED)
    assert sorted(a.project_id for a in alerts) == sorted([project.pk, sibling.pk])
    assert {a.subject_type for a in alerts} == {SubjectType.DEPOSIT}
    assert alerts[0].facts == {
        "动用日期": "2026-07-01",
        "应补足日期": "2026-07-15",
        "待补足金额": "80000.00 元",
    }

    services.record_event(
        ACTOR,
        deposit,
        EventKind.RESTORED,
        happened_on=datetime.date(2026, 7, 16),
        amount=Decimal("80000"),
        reason="补存",
    )
    evaluate([DEPOSIT_NOT_RESTORED], today=datetime.date(2026, 7, 16))
    assert live(DEPOSIT_NOT_RESTORED) == []


def test_a_deposit_action_reevaluates_the_contractors_projects_on_commit(django_capture_on_commit_callbacks):
    project = factories.ProjectFactory(
        status=ProjectStatus.UNDER_CONSTRUCTION, start_date=datetime.date(2026, 1, 5)
    )
    evaluate([DEPOSIT_MISSING])
    assert len(live(DEPOSIT_MISSING)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        make_deposit(project)
    assert live(DEPOSIT_MISSING) == []
