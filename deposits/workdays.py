"""Working days (工作日) for the regulation's time limits: Monday to Friday.

The platform has no calendar of public holidays and 调休 days, so a period that spans one ends a few
days early: the alert comes sooner, never later (docs/wages.md "工资保证金").
"""

from __future__ import annotations

import datetime

WEEKEND = (5, 6)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `start`."""
    day = start
    left = days
    while left > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() not in WEEKEND:
            left -= 1
    return day


def working_days_before(end: datetime.date, days: int) -> datetime.date:
    """The day `days` working days before `end`: a period that began earlier has run out by `end`."""
    day = end
    left = days
    while left > 0:
        day -= datetime.timedelta(days=1)
        if day.weekday() not in WEEKEND:
            left -= 1
    return day
