"""A labour subcontractor's team with three workers and their attendance in April 2026."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from attendance.models import DailySummary
from jmzhgd.core.actor import Actor
from tests import factories

APRIL = datetime.date(2026, 4, 1)


def present(entry, day: datetime.date, hours: str = "8.00", *, is_present: bool = True):
    return DailySummary.objects.create(
        project_id=entry.project_id,
        person_id=entry.person_id,
        work_date=day,
        hours=Decimal(hours),
        is_present=is_present,
    )


@pytest.fixture
def actor(project_user):
    return Actor(user=project_user, ip="127.0.0.1")


@pytest.fixture
def team(project):
    return factories.TeamFactory(unit__project=project, name="钢筋一班", entry_date=datetime.date(2026, 3, 2))


@pytest.fixture
def workers(team):
    """张 works 3 days (one not counted as present), 李 2 days and leaves on 04-10, 王 joins on 04-20."""
    zhang = factories.RosterEntryFactory(
        team=team,
        person__name="张三",
        card__bank_name="中国建设银行江门分行",
        card="6217000000000000011",
    )
    li = factories.RosterEntryFactory(
        team=team,
        person__name="李四",
        exit_date=datetime.date(2026, 4, 10),
        card="6228480000000000022",
    )
    wang = factories.RosterEntryFactory(
        team=team,
        person__name="王五",
        entry_date=datetime.date(2026, 4, 20),
        card="6222000000000000033",
    )
    for day in (1, 2, 3):
        present(zhang, APRIL.replace(day=day), "8.50")
    present(zhang, APRIL.replace(day=4), "1.00", is_present=False)
    for day in (9, 10, 11):  # the 11th is after 李's exit: not his day on this team
        present(li, APRIL.replace(day=day))
    present(wang, APRIL.replace(day=21), "9.00")
    return {"zhang": zhang, "li": li, "wang": wang}


@pytest.fixture
def today_may(monkeypatch):
    """Today is 2026-05-20: April is a past month, June the future."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 5, 20))
    return datetime.date(2026, 5, 20)


@pytest.fixture
def contracts(workers):
    """A labour contract for each worker: a sheet of theirs then raises no check finding."""
    return {key: factories.ContractFactory(roster_entry=entry) for key, entry in workers.items()}
