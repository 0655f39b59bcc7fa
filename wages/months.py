"""Months of the wage chain: a sheet's month is stored as its first day; wages of a month are paid by
the project's 工资支付日期 in the next month (条例 art. 24: at most one month)."""

from __future__ import annotations

import datetime

from jmzhgd.core.months import month_end, next_month

DEFAULT_PAY_DAY = 15


def pay_deadline(month: datetime.date, pay_day: int | None) -> datetime.date:
    """The day the wages of `month` are due: `pay_day` of the next month (the month's last day when
    it is shorter)."""
    following = next_month(month)
    day = min(pay_day or DEFAULT_PAY_DAY, month_end(following).day)
    return following.replace(day=day)
