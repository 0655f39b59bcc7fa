from __future__ import annotations

from datetime import date

import pytest

from contracts import demo as contracts_demo
from contracts.models import Contract, ContractScan, annotate_contract_status
from contracts.status import ContractStatus
from jmzhgd.core.demo import DemoContext
from tests import factories
from workforce.models import RosterEntry

pytestmark = pytest.mark.django_db


def test_demo_contracts_cover_every_status_and_seeding_twice_adds_nothing(project):
    team = factories.TeamFactory(unit__project=project)
    for _ in range(20):
        factories.RosterEntryFactory(team=team, entry_date=date(2026, 3, 3))
    demo = DemoContext(write=lambda line: None, shared={"projects": [project]})

    contracts_demo.seed(demo)
    counts = (Contract.objects.count(), ContractScan.objects.count())
    contracts_demo.seed(demo)
    assert (Contract.objects.count(), ContractScan.objects.count()) == counts

    statuses = set(
        annotate_contract_status(RosterEntry.objects.filter(project=project)).values_list(
            "contract_status", flat=True
        )
    )
    assert statuses == {s.value for s in ContractStatus}
    assert Contract.objects.filter(renewal_of__isnull=False).exists()
    assert ContractScan.objects.filter(thumbnail__gt="").exists()
