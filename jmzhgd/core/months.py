"""Calendar months, the one home of the platform's month arithmetic: a month is held as its first day.

The wage chain (wages.months adds the pay day), the 项目月考勤 grid (attendance.reports) and the punch
table's monthly partitions (attendance.partitions) all count months with these functions.
"""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from .forms import check_plausible_date


def month_of(day: datetime.date) -> datetime.date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    """The first day of the month `count` months after `month`'s (before it when negative)."""
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_back(day: datetime.date, back: int) -> datetime.date:
    """The first day of the month `back` months before `day`'s month (0: its own month)."""
    return add_months(month_of(day), -back)


def month_end(start: datetime.date) -> datetime.date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def next_month(start: datetime.date) -> datetime.date:
    return month_end(start) + datetime.timedelta(days=1)


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of the months from `first`'s through `last`'s."""
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def parse_month(value) -> datetime.date | None:
    """'YYYY-MM' (or a date) → the first day of that month; anything else → None."""
    if isinstance(value, datetime.date):
        return month_of(value)
    try:
        year, month = (int(part) for part in str(value or "").strip().split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return None


def month_start(value: str | None, today: datetime.date | None = None) -> datetime.date | None:
    """A month chosen on a page: 'YYYY-MM' → its first day; empty → this month (Asia/Shanghai); bad → None.

    A month outside the platform's date range is bad too: 9999-12 has no next month to link to.
    """
    if not value:
        return (today or timezone.localdate()).replace(day=1)
    start = parse_month(value)
    try:
        return check_plausible_date(start, "月份")
    except ValidationError:
        return None
