from __future__ import annotations

import datetime

import pytest

from jmzhgd.core.demo import DemoContext
from tests import factories
from wages import demo as wages_demo
from wages import signing
from wages.arrears import overdue_months
from wages.models import Payroll, PayrollStatus

pytestmark = pytest.mark.django_db


def test_demo_wages_have_a_paid_an_awaiting_and_an_overdue_month_and_seeding_twice_adds_nothing(
    project, today_may
):
    team = factories.TeamFactory(unit__project=project, entry_date=datetime.date(2026, 1, 5))
    for _ in range(3):
        factories.RosterEntryFactory(team=team, entry_date=datetime.date(2026, 1, 5), card="6217001234567890")
    demo = DemoContext(write=lambda line: None, shared={"projects": [project]})
    wages_demo.seed(demo)
    wages_demo.seed(demo)
    states = dict(Payroll.objects.values_list("pay_month", "status"))
    assert states == {
        datetime.date(2026, 2, 1): PayrollStatus.DRAFT,
        datetime.date(2026, 3, 1): PayrollStatus.CONFIRMED,
        datetime.date(2026, 4, 1): PayrollStatus.SUBMITTED,
    }
    paid = Payroll.objects.get(pay_month=datetime.date(2026, 3, 1))
    evidence = {key: len(rows) for key, rows in signing.evidence(paid).items()}
    assert evidence == {"signed": 1, "disputed": 1, "unsigned": 1} and paid.voucher
    overdue = overdue_months(type(project).objects.filter(pk=project.pk))
    # Today is 05-20: April's pay day (05-15) has passed too; January had workers but no sheet.
    assert [(o.month, o.status_label) for o in overdue] == [
        (datetime.date(2026, 1, 1), "未编制"),
        (datetime.date(2026, 2, 1), "草稿"),
        (datetime.date(2026, 4, 1), "已提交"),
    ]
