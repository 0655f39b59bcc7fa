"""Contract rules (docs/requirements.md §9), exercised through contracts.services as every page calls them."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from contracts import services
from contracts.models import Contract
from jmzhgd.core.codes import ContractPeriodType, ContractType
from jmzhgd.core.models import AuditLog
from tests import factories

pytestmark = pytest.mark.django_db


def values(**overrides):
    base = {
        "contract_type": ContractType.LABOUR_CONTRACT,
        "period_type": ContractPeriodType.FIXED,
        "start_date": date(2026, 3, 3),
        "end_date": date(2026, 12, 31),
    }
    return {**base, **overrides}


def test_signing_defaults_the_signing_unit_to_the_workers_unit_and_is_audit_logged(actor, entry):
    contract = services.sign_contract(actor, entry, values())
    assert contract.unit == entry.unit
    assert contract.project == entry.project and contract.person == entry.person
    log = AuditLog.objects.get(action="contract.sign")
    assert log.project == entry.project and entry.person.name in log.summary


def test_expiry_before_effective_date_is_refused(actor, entry):
    with pytest.raises(ValidationError) as caught:
        services.sign_contract(actor, entry, values(start_date=date(2026, 5, 1), end_date=date(2026, 4, 30)))
    assert "不能早于合同生效日期" in caught.value.message_dict["end_date"][0]
    assert not Contract.objects.exists()


def test_fixed_term_contract_without_expiry_is_refused(actor, entry):
    with pytest.raises(ValidationError) as caught:
        services.sign_contract(actor, entry, values(end_date=None))
    assert caught.value.message_dict["end_date"] == ["固定期限合同必须填写合同失效日期。"]


def test_task_based_contract_may_have_no_expiry(actor, entry):
    contract = services.sign_contract(
        actor, entry, values(period_type=ContractPeriodType.TASK, end_date=None)
    )
    assert contract.end_date is None


def test_a_unit_of_another_project_is_refused(actor, entry, other_project):
    foreign_unit = factories.UnitFactory(project=other_project)
    with pytest.raises(ValidationError) as caught:
        services.sign_contract(actor, entry, values(unit=foreign_unit))
    assert "本项目的参建单位" in caught.value.message_dict["unit"][0]


def test_unit_price_needs_a_measure_unit(actor, entry):
    with pytest.raises(ValidationError) as caught:
        services.sign_contract(actor, entry, values(unit_price=12))
    assert "计量单位" in caught.value.message_dict["measure_unit"][0]


def test_overlapping_periods_of_one_worker_in_one_project_are_refused_across_roster_entries(actor, entry):
    services.sign_contract(actor, entry, values(start_date=date(2026, 3, 3), end_date=date(2026, 6, 30)))
    # The same person, an earlier stay in the same project (re-entry makes a new roster entry).
    earlier = factories.RosterEntryFactory(
        person=entry.person, team=entry.team, entry_date=date(2026, 1, 5), exit_date=date(2026, 3, 1)
    )
    with pytest.raises(ValidationError) as caught:
        services.sign_contract(actor, earlier, values(start_date=date(2026, 1, 5), end_date=date(2026, 3, 3)))
    assert "重叠" in caught.value.message_dict["start_date"][0]
    # Ending the day before is fine.
    services.sign_contract(actor, earlier, values(start_date=date(2026, 1, 5), end_date=date(2026, 3, 2)))
    assert Contract.objects.filter(person=entry.person).count() == 2


def test_an_open_ended_contract_overlaps_everything_after_its_start(actor, entry):
    services.sign_contract(
        actor,
        entry,
        values(period_type=ContractPeriodType.OPEN_ENDED, start_date=date(2026, 3, 3), end_date=None),
    )
    other_stay = factories.RosterEntryFactory(
        person=entry.person, team=entry.team, entry_date=date(2026, 1, 1), exit_date=date(2026, 2, 1)
    )
    with pytest.raises(ValidationError):
        services.sign_contract(
            actor, other_stay, values(start_date=date(2030, 1, 1), end_date=date(2030, 12, 31))
        )


def test_the_same_person_in_another_project_does_not_overlap(actor, entry, other_project):
    services.sign_contract(actor, entry, values())
    elsewhere = factories.RosterEntryFactory(person=entry.person, team__unit__project=other_project)
    contract = services.sign_contract(actor, elsewhere, values())
    assert contract.project == other_project


def test_a_second_first_contract_for_one_entry_is_refused(actor, entry):
    services.sign_contract(actor, entry, values())
    with pytest.raises(ValidationError, match="续签"):
        services.sign_contract(actor, entry, values(start_date=date(2027, 1, 1), end_date=date(2027, 12, 31)))


def test_editing_the_current_contract_records_what_changed(actor, entry):
    contract = services.sign_contract(actor, entry, values())
    services.update_contract(actor, contract, values(end_date=date(2027, 2, 28)))
    contract.refresh_from_db()
    assert contract.end_date == date(2027, 2, 28)
    log = AuditLog.objects.get(action="contract.update")
    assert log.before == {"end_date": "2026-12-31"} and log.after == {"end_date": "2027-02-28"}


def test_renewal_is_a_new_contract_and_keeps_the_previous_one_unchanged(actor, entry):
    first = services.sign_contract(actor, entry, values())
    renewal = services.renew_contract(
        actor, first, values(start_date=date(2027, 1, 1), end_date=date(2027, 12, 31))
    )
    assert renewal.renewal_of == first and renewal.roster_entry == entry
    assert services.current_contract(entry) == renewal
    first.refresh_from_db()
    assert first.end_date == date(2026, 12, 31)
    assert AuditLog.objects.filter(action="contract.renew", object_id=str(renewal.pk)).exists()


@pytest.mark.parametrize(
    "start", [date(2026, 12, 31), date(2025, 1, 1)], ids=["on_the_expiry_day", "before_the_previous_period"]
)
def test_a_renewal_must_start_after_the_previous_contract_ends(actor, entry, start):
    first = services.sign_contract(actor, entry, values())
    with pytest.raises(ValidationError) as caught:
        services.renew_contract(
            actor, first, values(start_date=start, end_date=start.replace(month=12, day=31))
        )
    assert "必须晚于原合同的失效日期（2026-12-31）" in caught.value.message_dict["start_date"][0]


def test_a_renewed_contract_is_history_and_cannot_be_edited_or_renewed_again(actor, entry):
    first = services.sign_contract(actor, entry, values())
    services.renew_contract(actor, first, values(start_date=date(2027, 1, 1), end_date=date(2027, 12, 31)))
    with pytest.raises(ValidationError, match="历史合同不能修改"):
        services.update_contract(actor, first, values(end_date=date(2026, 11, 30)))
    with pytest.raises(ValidationError, match="最新的合同"):
        services.renew_contract(
            actor, first, values(start_date=date(2028, 1, 1), end_date=date(2028, 12, 31))
        )


def test_a_contract_without_expiry_cannot_be_renewed(actor, entry):
    first = services.sign_contract(actor, entry, values(period_type=ContractPeriodType.TASK, end_date=None))
    with pytest.raises(ValidationError, match="不能续签"):
        services.renew_contract(actor, first, values(start_date=date(2027, 1, 1)))
