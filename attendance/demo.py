"""Demo attendance: a gate device per demo project and the last 30 days of punches for its on-site
workers — workdays with most people present, some absences, Sundays mostly off, some late exits,
a few lunch-break pairs — plus a handful of unmatched punches as open 异常考勤. Summaries are then
rebuilt from the punches. Idempotent: a project that already has matched punches gets no more, nor
more anomalies once it has some (so a later run after the roster is seeded still fills the month).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from jmzhgd.core.codes import AttendType, Direction
from jmzhgd.core.fakes import random_id_number, random_name

from . import partitions
from .models import AnomalyStatus, Device, Punch, PunchSource
from .summaries import SHANGHAI, rebuild_daily_summaries

DAYS = 30
ANOMALIES_PER_PROJECT = 4
PHOTO_DAYS = 2


def _moment(day: datetime.date, hour: int, minute: int, rng) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, rng.randint(0, 59), tzinfo=SHANGHAI)


def _worker_day(day: datetime.date, rng) -> list[tuple[datetime.datetime, str]]:
    """The punches of one worker on one attended day: in, (lunch out/in), out — later on some days."""
    start = (
        _moment(day, 7, rng.randint(20, 59), rng)
        if rng.random() < 0.8
        else _moment(day, 8, rng.randint(0, 25), rng)
    )
    punches = [(start, Direction.IN)]
    if rng.random() < 0.2:
        punches += [
            (_moment(day, 12, rng.randint(0, 15), rng), Direction.OUT),
            (_moment(day, 13, rng.randint(20, 40), rng), Direction.IN),
        ]
    if rng.random() < 0.12:  # a late exit (overtime)
        end = _moment(day, rng.randint(19, 21), rng.randint(0, 59), rng)
    else:
        end = _moment(day, 17, rng.randint(0, 59), rng)
    if rng.random() > 0.04:  # now and then someone leaves without punching out
        punches.append((end, Direction.OUT))
    return punches


def seed(demo) -> None:
    now = timezone.localtime(timezone.now(), SHANGHAI)
    for project in demo.shared.get("projects", []):
        _seed_project(demo, project, now)
    from . import demo_fence

    demo_fence.seed(demo)
    if partitions.is_partitioned(partitions.database()):
        # The demo's punches of past months wait in the DEFAULT partition until their months have
        # partitions of their own: create them now rather than at the first scheduled run.
        created = partitions.create_partitions()
        if created.months:
            demo.write(f"  考勤分区：新建 {len(created.months)} 个月份分区")


def _seed_project(demo, project, now: datetime.datetime) -> None:
    has_matched = Punch.objects.filter(project=project, is_anomaly=False).exists()
    has_anomalies = Punch.objects.filter(project=project, is_anomaly=True).exists()
    if has_matched and has_anomalies:
        return
    rng = demo.rng
    today = now.date()
    first = today - datetime.timedelta(days=DAYS)
    device, _ = Device.objects.get_or_create(
        serial_number=f"DEMO{project.pk:04d}GATE01",
        defaults={
            "project": project,
            "vendor": "演示闸机厂商",
            "name": "大门人脸闸机",
            "location": "工地大门",
        },
    )
    punches: list[Punch] = []

    def add(when, direction, *, kind: str, entry=None, **fields):
        if when > now:
            return
        person = entry.person if entry is not None else None
        if person is not None:
            # As the ingest stores a matched punch: the person's digest and mask, no second copy of
            # the number (Punch.id_number).
            fields.setdefault("id_number_digest", person.id_number_digest)
            fields.setdefault("id_number_masked", person.id_number_masked)
        punches.append(
            Punch(
                project=project,
                person=person,
                roster_entry=entry,
                id_number=fields.pop("id_number", ""),
                name_as_sent=fields.pop("name_as_sent", person.name if person else ""),
                punched_at=when,
                work_date=when.date(),
                direction=direction,
                attend_type=AttendType.FACE if rng.random() < 0.9 else AttendType.REAL_NAME_CARD,
                device=device,
                device_sn=device.serial_number,
                record_id=f"{kind}{len(punches) + 1:08d}",  # each kind is seeded once: no clashes
                source=PunchSource.DEVICE,
                **fields,
            )
        )

    entries = (
        [] if has_matched else list(project.roster.filter(exit_date__isnull=True).select_related("person"))
    )
    for offset in range(DAYS + 1):
        day = first + datetime.timedelta(days=offset)
        works_today = 0.3 if day.weekday() == 6 else 0.9
        for entry in entries:
            if day < entry.entry_date or rng.random() > works_today:
                continue
            # The gate's snapshot: the last days' punches carry the person's photo (shared file, never moved).
            photo = entry.person.photo.name if day >= today - datetime.timedelta(days=PHOTO_DAYS) else ""
            for when, direction in _worker_day(day, rng):
                add(when, direction, kind="W", entry=entry, photo=photo)
    for _ in range(0 if has_anomalies else ANOMALIES_PER_PROJECT):
        day = first + datetime.timedelta(days=rng.randint(0, DAYS - 1))
        add(
            _moment(day, rng.randint(7, 18), rng.randint(0, 59), rng),
            rng.choice([Direction.IN, Direction.OUT]),
            kind="A",
            id_number=random_id_number(rng),
            name_as_sent=random_name(rng),
            is_anomaly=True,
            anomaly_status=AnomalyStatus.OPEN,
            anomaly_reason="花名册中无此人",
        )
    if not punches:
        return
    Punch.objects.bulk_create(punches, batch_size=2000, ignore_conflicts=True)
    device.last_seen_at = timezone.now()
    device.save(update_fields=["last_seen_at"])
    written = rebuild_daily_summaries(project=project, date_from=first, date_to=today)
    demo.write(f"  考勤：{project.name} 打卡记录 {len(punches)} 条，每日汇总 {written} 条")
