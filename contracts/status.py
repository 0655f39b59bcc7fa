"""Contract status, computed from dates every time (never a stored flag that goes stale).

未签订: the roster entry has no contract. 有效: the latest contract has not ended (or has no end).
即将到期: it ends within EXPIRING_DAYS (the end date itself is still a day of the contract).
已过期: its end date is before today.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
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
