from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from deposits import services
from deposits.models import DepositForm
from jmzhgd.core.actor import Actor

JUNE_1 = datetime.date(2026, 6, 1)


def deposit_values(project, **overrides) -> dict:
    values = {
        "contractor_code": project.contractor_code,
        "contractor_name": project.contractor_name,
        "district": project.district,
        "form": DepositForm.CASH,
        "bank_code": "102",
        "branch_name": "江门分行",
        "amount": Decimal("300000"),
        "contract_sum": Decimal("20000000"),
        "deposited_on": JUNE_1,
        "guarantee_valid_until": None,
        "note": "",
    }
    values.update(overrides)
    return values


def make_deposit(project, **overrides):
    return services.save_deposit(Actor.system("测试"), None, deposit_values(project, **overrides))


@pytest.fixture
def deposit(project):
    return make_deposit(project)
