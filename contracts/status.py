"""Contract status, computed from dates every time (never a stored flag that goes stale).

未签订: the roster entry has no contract. 有效: the latest contract has not ended (or has no end).
即将到期: it ends within EXPIRING_DAYS (the end date itself is still a day of the contract).
已过期: its end date is before today.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.utils import timezone

EXPIRING_DAYS = 30


class ContractStatus(models.TextChoices):
    NONE = "none", "未签订"
    VALID = "valid", "有效"
    EXPIRING = "expiring", "即将到期"
    EXPIRED = "expired", "已过期"


def status_for_end_date(end_date: date | None, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if end_date is None:
        return ContractStatus.VALID
    if end_date < today:
        return ContractStatus.EXPIRED
    if end_date <= today + timedelta(days=EXPIRING_DAYS):
        return ContractStatus.EXPIRING
    return ContractStatus.VALID


def annotate_contract_status(roster_entries: models.QuerySet, today: date | None = None) -> models.QuerySet:
    """Annotate roster entries with `contract_status` (a ContractStatus value) and `contract_end`.

    One subquery per row in SQL (no query per row in Python): the latest contract of the entry.
    """
    from .models import Contract

    today = today or timezone.localdate()
    contracts = Contract.objects.filter(roster_entry=OuterRef("pk"))
    latest = contracts.order_by("-start_date", "-id")
    # The latest contract's id and end date as correlated subqueries (an index lookup per row). An
    # Exists() here was planned by PostgreSQL as a hashed subplan scanning every contract in the city.
    return roster_entries.annotate(
        latest_contract_id=Subquery(latest.values("id")[:1]),
        contract_end=Subquery(latest.values("end_date")[:1]),
    ).annotate(
        contract_status=Case(
            When(latest_contract_id__isnull=True, then=Value(ContractStatus.NONE.value)),
            When(contract_end__isnull=True, then=Value(ContractStatus.VALID.value)),
            When(contract_end__lt=today, then=Value(ContractStatus.EXPIRED.value)),
            When(
                contract_end__lte=today + timedelta(days=EXPIRING_DAYS),
                then=Value(ContractStatus.EXPIRING.value),
            ),
            default=Value(ContractStatus.VALID.value),
            output_field=models.CharField(),
        ),
    )


def contract_status_label(value: str) -> str:
    return ContractStatus(value).label


STATUS_BADGE_CLASSES = {
    ContractStatus.NONE: "text-bg-secondary",
    ContractStatus.VALID: "text-bg-success",
    ContractStatus.EXPIRING: "text-bg-warning",
    ContractStatus.EXPIRED: "text-bg-danger",
}


def contract_status_badge_class(value: str) -> str:
    """The Bootstrap badge class a page shows a status with."""
    return STATUS_BADGE_CLASSES[ContractStatus(value)]
