"""A small site for the attendance reports: one unit with two teams, workers who stay the whole of
April 2026, enter mid-month, leave mid-month, and a worker of another project."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from attendance.summaries import rebuild_daily_summaries
from jmzhgd.core.codes import PersonCategory
from tests import factories

SH = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0, month: int = 4) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=SH)


def work_day(entry, day: int, *, start=(8, 0), end=(17, 30), device=None, month: int = 4):
    """An entry punch and an exit punch of `entry` on April `day`."""
    factories.PunchFactory(
        roster_entry=entry, punched_at=at(day, *start, month=month), direction="01", device=device
    )
    factories.PunchFactory(
        roster_entry=entry, punched_at=at(day, *end, month=month), direction="02", device=device
    )


def unmatched_punch(project, when, name_as_sent="陌生人", status=None, **fields):
    """A punch that matched nobody on the roster (异常考勤), open unless `status` says otherwise."""
    from attendance.models import AnomalyStatus

    return factories.PunchFactory(
        roster_entry=None,
        project=project,
        name_as_sent=name_as_sent,
        punched_at=when,
        is_anomaly=True,
        anomaly_status=status or AnomalyStatus.OPEN,
        anomaly_reason="花名册中无此人",
        **fields,
    )


@dataclass
class Site:
    project: object
    unit: object
    rebar: object  # team 钢筋班
    formwork: object  # team 木工班
    device: object
    whole_month: object  # entered in March, still on site
    mid_month: object  # entered 2026-04-15
    left: object  # entered in March, left 2026-04-10
    manager: object  # 管理人员 in 木工班
    foreign: object  # a worker of another project


@pytest.fixture
def site(project, other_project):
    unit = factories.UnitFactory(project=project)
    rebar = factories.TeamFactory(unit=unit, name="钢筋班")
    formwork = factories.TeamFactory(unit=unit, name="木工班")
    device = factories.DeviceFactory(project=project, name="东门闸机")
    whole_month = factories.RosterEntryFactory(
        team=rebar, person=factories.PersonFactory(name="张全勤"), entry_date=datetime.date(2026, 3, 3)
    )
    mid_month = factories.RosterEntryFactory(
        team=rebar, person=factories.PersonFactory(name="李中途"), entry_date=datetime.date(2026, 4, 15)
    )
    left = factories.RosterEntryFactory(
        team=formwork,
        person=factories.PersonFactory(name="王离场"),
        entry_date=datetime.date(2026, 3, 3),
        exit_date=datetime.date(2026, 4, 10),
    )
    manager = factories.RosterEntryFactory(
        team=formwork,
        person=factories.PersonFactory(name="赵管理"),
        category=PersonCategory.MANAGER,
        entry_date=datetime.date(2026, 3, 3),
    )
    foreign = factories.RosterEntryFactory(
        team=factories.TeamFactory(unit=factories.UnitFactory(project=other_project)),
        person=factories.PersonFactory(name="孙别处"),
        entry_date=datetime.date(2026, 3, 3),
    )
    for day in (1, 2, 3, 7, 8):
        work_day(whole_month, day, device=device)
    work_day(whole_month, 9, end=(21, 0), device=device)  # a late exit
    for day in (15, 16):
        work_day(mid_month, day)
    for day in (1, 2):
        work_day(left, day)
    work_day(manager, 1)
    work_day(foreign, 1)
    rebuild_daily_summaries()
    return Site(project, unit, rebar, formwork, device, whole_month, mid_month, left, manager, foreign)
