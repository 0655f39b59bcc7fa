"""The demo's share: two 总包 with a deposit (one 动用 and not restored), one without; the 预警中心
then shows both deposit rules. Seeded on factory projects (the full seed_demo is tested elsewhere)."""

from __future__ import annotations

import datetime

import pytest

from alerts.deposit_rules import DEPOSIT_MISSING, DEPOSIT_NOT_RESTORED
from alerts.evaluation import evaluate
from alerts.models import Alert
from deposits import demo
from deposits.models import Deposit, DepositStatus
from jmzhgd.core.codes import ProjectStatus
from jmzhgd.core.demo import SEEDER_ORDER, DemoContext
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_deposits_one_used_and_one_contractor_without_and_is_idempotent():
    assert SEEDER_ORDER.index("deposits") < SEEDER_ORDER.index("alerts")
    projects = [
        factories.ProjectFactory(
            status=ProjectStatus.UNDER_CONSTRUCTION, start_date=datetime.date(2026, 3, 2)
        )
        for _ in range(3)
    ]
    lines = []
    context = DemoContext(write=lines.append, shared={"projects": projects})
    demo.seed(context)
    demo.seed(context)
    assert Deposit.objects.count() == 2 and len(lines) == 2
    assert Deposit.objects.filter(status=DepositStatus.USED).count() == 1
    evaluate([DEPOSIT_MISSING, DEPOSIT_NOT_RESTORED])
    live = dict(Alert.objects.filter(cleared_at=None).values_list("rule", "project_id"))
    assert live == {DEPOSIT_MISSING: projects[2].pk, DEPOSIT_NOT_RESTORED: projects[1].pk}
