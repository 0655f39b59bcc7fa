"""The register's actions: what a deposit must hold, how 动用/补足/返还 move it, and the ratio."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from deposits import services
from deposits.coverage import coverage_queryset, gaps, required_ratio
from deposits.models import Deposit, DepositForm, DepositStatus, EventKind
from deposits.workdays import add_working_days, working_days_before
from jmzhgd.core.actor import Actor
from projects.models import Project
from tests import factories

from .conftest import JUNE_1, deposit_values, make_deposit

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试")


def use(deposit, amount, day=datetime.date(2026, 7, 1)):
    return services.record_event(
        ACTOR, deposit, EventKind.USED, happened_on=day, amount=Decimal(amount), reason="支付通知书"
    )


def test_a_new_deposit_holds_its_amount_and_is_audited(project):
    from jmzhgd.core.models import AuditLog

    deposit = make_deposit(project)
    assert deposit.balance == Decimal("300000") and deposit.status == DepositStatus.ACTIVE
    assert AuditLog.objects.filter(action="deposit.create", object_id=str(deposit.pk)).exists()


def test_the_ratio_is_the_amount_over_the_contract_sum(project):
    assert make_deposit(project).ratio == Decimal("1.50")
    other = factories.ProjectFactory()
    assert make_deposit(other, contract_sum=None).ratio is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"contractor_code": "123"}, "contractor_code", "18位"),
        ({"amount": Decimal("0")}, "amount", "大于 0"),
        ({"contract_sum": Decimal("0")}, "contract_sum", "大于 0"),
        ({"deposited_on": datetime.date(2099, 1, 1)}, "deposited_on", "晚于今天"),
        ({"form": DepositForm.BANK_GUARANTEE}, "guarantee_valid_until", "有效期"),
        (
            {"form": DepositForm.BANK_GUARANTEE, "guarantee_valid_until": datetime.date(2026, 1, 1)},
            "guarantee_valid_until",
            "早于",
        ),
    ],
)
def test_a_bad_deposit_is_refused_with_a_chinese_message(project, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        make_deposit(project, **overrides)
    assert message in refused.value.message_dict[field][0]
    assert not Deposit.objects.exists()


def test_one_held_deposit_per_contractor_and_district(project):
    make_deposit(project)
    with pytest.raises(ValidationError) as refused:
        make_deposit(project)
    assert "已有在存" in refused.value.message_dict["contractor_code"][0]
    assert make_deposit(project, district="440704").pk  # another 区县 is another deposit


def test_use_restore_and_return_move_the_balance(deposit):
    use(deposit, "100000")
    deposit.refresh_from_db()
    assert (deposit.balance, deposit.status, deposit.used_on) == (
        Decimal("200000"),
        DepositStatus.USED,
        datetime.date(2026, 7, 1),
    )
    services.record_event(
        ACTOR,
        deposit,
        EventKind.RESTORED,
        happened_on=datetime.date(2026, 7, 5),
        amount=Decimal("40000"),
        reason="补存",
    )
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.USED  # still 60,000 short
    services.record_event(
        ACTOR,
        deposit,
        EventKind.RESTORED,
        happened_on=datetime.date(2026, 7, 8),
        amount=Decimal("60000"),
        reason="补存",
    )
    deposit.refresh_from_db()
    assert (deposit.balance, deposit.status, deposit.used_on) == (
        Decimal("300000"),
        DepositStatus.ACTIVE,
        None,
    )
    event = services.record_event(
        ACTOR,
        deposit,
        EventKind.RETURNED,
        happened_on=datetime.date(2026, 8, 1),
        amount=None,
        reason="完工无拖欠",
    )
    deposit.refresh_from_db()
    assert (
        event.amount == Decimal("300000")
        and deposit.balance == 0
        and deposit.status == DepositStatus.RETURNED
    )
    assert [e.kind for e in deposit.events.all()] == ["used", "restored", "restored", "returned"]


@pytest.mark.parametrize(
    ("kind", "amount", "field", "message"),
    [
        (EventKind.USED, "300000.01", "amount", "不能超过当前余额"),
        (EventKind.USED, "0", "amount", "大于 0"),
        (EventKind.RESTORED, "1", "amount", "没有待补足"),
    ],
)
def test_an_event_beyond_the_balance_is_refused(deposit, kind, amount, field, message):
    with pytest.raises(ValidationError) as refused:
        services.record_event(ACTOR, deposit, kind, happened_on=JUNE_1, amount=Decimal(amount), reason="x")
    assert message in refused.value.message_dict[field][0]
    deposit.refresh_from_db()
    assert deposit.balance == Decimal("300000") and not deposit.events.exists()


def test_restoring_more_than_was_used_is_refused(deposit):
    use(deposit, "1000")
    with pytest.raises(ValidationError, match="1000"):
        services.record_event(
            ACTOR,
            deposit,
            EventKind.RESTORED,
            happened_on=datetime.date(2026, 7, 2),
            amount=Decimal("1000.01"),
            reason="x",
        )


def test_an_event_before_the_deposit_or_in_the_future_is_refused(deposit):
    for day in (datetime.date(2026, 5, 31), datetime.date(2099, 1, 1)):
        with pytest.raises(ValidationError):
            use(deposit, "1", day=day)


def test_a_returned_deposit_takes_no_event_nor_edit(deposit):
    services.record_event(ACTOR, deposit, EventKind.RETURNED, happened_on=JUNE_1, amount=None, reason="返还")
    with pytest.raises(ValidationError, match="已返还"):
        use(deposit, "1")
    with pytest.raises(ValidationError, match="已返还"):
        services.save_deposit(ACTOR, deposit, deposit_values(deposit_project(deposit)))


def deposit_project(deposit):
    return Project.objects.get(contractor_code=deposit.contractor_code)


def test_lowering_the_amount_below_what_was_used_is_refused(deposit, project):
    use(deposit, "250000")
    with pytest.raises(ValidationError, match="已动用"):
        services.save_deposit(ACTOR, deposit, deposit_values(project, amount=Decimal("200000")))
    saved = services.save_deposit(ACTOR, deposit, deposit_values(project, amount=Decimal("400000")))
    assert saved.balance == Decimal("150000")


def test_coverage_names_what_is_missing(project):
    today = datetime.date(2026, 12, 1)
    bare = factories.ProjectFactory(status="003")
    factories.ProjectFactory(contractor_code=project.contractor_code, contractor_name=project.contractor_name)
    make_deposit(project, amount=Decimal("90000"))  # 0.45 % of 20 M, two projects: below 0.5 %
    rows = {r["contractor_code"]: r for r in coverage_queryset(Project.objects.all())}
    assert rows[project.contractor_code]["project_count"] == 2
    assert gaps(rows[project.contractor_code], today) == ["比例低于 0.5%"]
    assert gaps(rows[bare.contractor_code], today) == ["无工资保证金"]
    assert required_ratio(1) == Decimal("1") and required_ratio(2) == Decimal("0.5")


def test_working_days_skip_the_weekend():
    friday = datetime.date(2026, 7, 3)
    assert add_working_days(friday, 1) == datetime.date(2026, 7, 6)
    assert add_working_days(friday, 10) == datetime.date(2026, 7, 17)
    assert working_days_before(datetime.date(2026, 7, 17), 10) == friday
