"""The demo's 预警中心 is not empty: seed_demo ends with the evaluation, and again adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from alerts import demo as alerts_demo
from alerts.models import Alert
from alerts.wage_rules import WAGE_RULE, split_team_month
from jmzhgd.core.demo import DemoContext
from wages.arrears import overdue_months
from wages.models import Payroll

pytestmark = pytest.mark.django_db


def live_ids() -> set[int]:
    return set(Alert.objects.filter(cleared_at=None).values_list("pk", flat=True))


def test_seed_demo_opens_the_overdue_wage_months_alert_and_seeding_again_adds_nothing():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "预警中心：新增" in out.getvalue()
    project = Payroll.objects.first().project
    overdue = overdue_months(type(project).objects.filter(pk=project.pk))
    assert any(o.payroll_id for o in overdue)  # the demo's sheet left as a draft past its pay day
    wage_alerts = Alert.objects.filter(rule=WAGE_RULE, project=project, cleared_at=None)
    assert {split_team_month(a.subject_id) for a in wage_alerts} == {(o.team_id, o.month) for o in overdue}
    opened = live_ids()

    lines: list[str] = []
    alerts_demo.seed(DemoContext(write=lines.append))
    assert lines == [f"  预警中心：新增 0 条，当前 {len(opened)} 条（每晚由 evaluate_alerts 重新评估）"]
    call_command("evaluate_alerts", stdout=out)
    assert live_ids() == opened
