"""Months of the wage chain: a sheet's month is stored as its first day; wages of a month are paid by
the project's 工资支付日期 in the next month (条例 art. 24: at most one month)."""

from __future__ import annotations

import calendar
import datetime

DEFAULT_PAY_DAY = 15


def parse_month(value) -> datetime.date | None:
    """'YYYY-MM' (or a date) → the first day of that month; anything else → None."""
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    try:
        year, month = (int(part) for part in str(value or "").strip().split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return None


def month_back(day: datetime.date, back: int) -> datetime.date:
    """The first day of the month `back` months before `day`'s month (0: its own month)."""
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(start: datetime.date) -> datetime.date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def next_month(start: datetime.date) -> datetime.date:
    return month_end(start) + datetime.timedelta(days=1)


def pay_deadline(month: datetime.date, pay_day: int | None) -> datetime.date:
    """The day the wages of `month` are due: `pay_day` of the next month (the month's last day when
    it is shorter)."""
    following = next_month(month)
    day = min(pay_day or DEFAULT_PAY_DAY, month_end(following).day)
    return following.replace(day=day)
