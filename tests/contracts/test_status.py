"""Status is computed from dates (contracts.status), never stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from contracts.models import annotate_contract_status
from contracts.status import ContractStatus, status_for_end_date
from tests import factories
from workforce.models import RosterEntry

END = date(2026, 12, 31)


def test_a_contract_is_still_valid_on_the_day_before_its_expiry_but_expiring():
    assert status_for_end_date(END, today=END - timedelta(days=1)) == ContractStatus.EXPIRING


def test_a_contract_is_expiring_on_its_last_day():
    assert status_for_end_date(END, today=END) == ContractStatus.EXPIRING


def test_a_contract_is_expired_the_day_after_its_expiry():
    assert status_for_end_date(END, today=END + timedelta(days=1)) == ContractStatus.EXPIRED


def test_expiring_means_within_thirty_days():
    assert status_for_end_date(END, today=END - timedelta(days=30)) == ContractStatus.EXPIRING
    assert status_for_end_date(END, today=END - timedelta(days=31)) == ContractStatus.VALID


def test_a_contract_without_expiry_is_valid():
    assert status_for_end_date(None, today=END) == ContractStatus.VALID


@pytest.mark.django_db
def test_roster_entries_are_annotated_with_the_status_of_their_latest_contract(project):
    unsigned = factories.RosterEntryFactory(team__unit__project=project)
    renewed = factories.RosterEntryFactory(team=unsigned.team)
    first = factories.ContractFactory(roster_entry=renewed, start_date=date(2026, 1, 1), end_date=END)
    factories.ContractFactory(
        roster_entry=renewed, renewal_of=first, start_date=date(2027, 1, 1), end_date=date(2027, 12, 31)
    )
    statuses = dict(
        annotate_contract_status(
            RosterEntry.objects.filter(project=project), today=END + timedelta(days=1)
        ).values_list("pk", "contract_status")
    )
    assert statuses == {unsigned.pk: ContractStatus.NONE, renewed.pk: ContractStatus.VALID}
    expired = dict(
        annotate_contract_status(
            RosterEntry.objects.filter(project=project), today=date(2028, 1, 1)
        ).values_list("pk", "contract_status")
    )
    assert expired[renewed.pk] == ContractStatus.EXPIRED
