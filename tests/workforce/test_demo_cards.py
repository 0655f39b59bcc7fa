"""The demo 人员库 comes with each worker's 工资卡 at his project, so a demo wage sheet can be paid
through the bank file without typing a card for everyone (docs/architecture.md pattern 11)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import PersonCategory
from jmzhgd.core.demo import DemoContext
from tests import factories
from tests.wages.approval import CONFIRMED
from wages import exports, services, transitions
from wages.models import PayRule
from workforce import demo as workforce_demo
from workforce.models import PayCard, RosterEntry

pytestmark = pytest.mark.django_db


def test_every_demo_worker_has_a_card_and_a_demo_sheet_pays_everyone(project):
    team = factories.TeamFactory(unit__project=project, name="钢筋一班", entry_date=datetime.date(2026, 3, 1))
    workforce_demo.seed(DemoContext(write=lambda line: None, shared={"projects": [project]}))
    workers = RosterEntry.objects.filter(project=project).exclude(category=PersonCategory.MANAGER)
    assert workers.exists()
    carded = set(PayCard.objects.filter(project=project).values_list("person_id", flat=True))
    assert set(workers.values_list("person_id", flat=True)) <= carded
    actor = Actor.system("测试")
    start = min(workers.values_list("entry_date", flat=True)).replace(day=1)
    sheet = services.generate_payroll(actor, team, start, pay_rule=PayRule.DAILY, rate=Decimal("300"))
    sheet.rows.update(total_amount=Decimal("100"), actual_amount=Decimal("100"))
    sheet = transitions.approve(actor, transitions.submit(actor, sheet), confirmation=CONFIRMED)
    sheets, apart = exports.bank_file_sheets(sheet)
    assert apart == [] and len(list(sheets[0].rows)) == sheet.rows.count()
