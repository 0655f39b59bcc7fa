"""Stage three: devices and the month's punches."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from jmzhgd.core.codes import (
    AttendType,
    Direction,
)

from .plan import SHANGHAI, Build

# In between 07:00 and 08:30, out between 17:00 and 18:30 (seconds after 07:00).
IN_WINDOW = (0, 5400)
OUT_WINDOW = (36000, 5400)
RECEIVED_AFTER = 2  # seconds from the punch to its arrival


def clock_times(first_hour: int, seconds: int) -> list[str]:
    """'HH:MM:SS' for every second from `first_hour`:00:00 on: a line of the text COPY looks its
    times up here instead of formatting a datetime per row."""
    return [f"{first_hour + s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(seconds)]


def person_days(b: Build, rng) -> Iterator[tuple[dict, datetime.date, int, int]]:
    """(roster entry, day, seconds after 07:00 of the in punch, of the out punch) for everybody on
    site on every day of the month: the random draws, shared by both ways of writing the punches
    and, replayed, by their daily summaries."""
    for entry in b.on_site_entries:
        for day in b.days:
            came = IN_WINDOW[0] + rng.randrange(IN_WINDOW[1])
            yield entry, day, came, OUT_WINDOW[0] + rng.randrange(OUT_WINDOW[1])


def build_punches(b: Build) -> None:
    """Two gates per project, and two punches a day for everybody on site, streamed."""
    from attendance.models import Device, Punch

    writer, projects = b.writer, b.projects
    # Devices: one 入场 and one 出场 gate per project.
    device_base = writer.next_id(Device)
    devices = []
    for i, project in enumerate(projects):
        for k, direction in enumerate((Direction.IN, Direction.OUT)):
            devices.append(
                {
                    "id": device_base + 2 * i + k,
                    "project_id": project["id"],
                    "serial_number": f"BENCH-{project['code']}-{direction}",
                    "vendor": "基准测试设备",
                    "name": f"{'入口' if direction == Direction.IN else '出口'}闸机",
                    "direction": direction,
                    "location": "大门",
                    "last_seen_at": writer.now,
                }
            )
    b.step("devices", lambda: writer.write(Device, devices))
    b.devices = devices
    b.punch_draws = b.rng.getstate()  # the summaries replay the draws (summaries.summary_days)
    if writer.is_postgres:
        from attendance.partitions import create_partitions

        # The month's punches go to their month's partition, as in production, not to the DEFAULT one.
        b.step("punch partitions", lambda: len(create_partitions(since=b.month_start).months))

        def load() -> int:
            with writer.indexes_built_after(Punch):
                return writer.write_lines(Punch, LINE_COLUMNS, _punch_lines(b))

        b.step("punches (indexes built after)", load)
    else:
        b.step("punches", lambda: writer.write(Punch, _punch_rows(b), with_id=False))


def _gates(b: Build) -> dict[tuple[int, str], dict]:
    return {(d["project_id"], d["direction"]): d for d in b.devices}


def _punch_rows(b: Build) -> Iterator[dict]:
    """The punches as field values (the generic writer: SQLite)."""
    persons = {p["id"]: p for p in b.persons}
    gates = _gates(b)
    record = 0
    for entry, day, came, left in person_days(b, b.rng):
        person = persons[entry["person_id"]]
        start = datetime.datetime(day.year, day.month, day.day, 7, 0, tzinfo=SHANGHAI)
        for direction, seconds in ((Direction.IN, came), (Direction.OUT, left)):
            device = gates[(entry["project_id"], direction)]
            at = start + datetime.timedelta(seconds=seconds)
            record += 1
            yield {
                "project_id": entry["project_id"],
                "person_id": person["id"],
                "roster_entry_id": entry["id"],
                "id_number": "",  # a matched punch keeps no copy of the number (Punch.id_number)
                "id_number_digest": person["id_number_digest"],
                "id_number_masked": person["id_number_masked"],
                "name_as_sent": person["name"],
                "punched_at": at,
                "work_date": day,
                "direction": direction,
                "attend_type": AttendType.FACE,
                "device_id": device["id"],
                "device_sn": device["serial_number"],
                "record_id": f"B{record}",
                "source": "device",
                "source_label": device["serial_number"],
                "received_at": at + datetime.timedelta(seconds=RECEIVED_AFTER),
            }


# The text COPY's columns (PostgreSQL). Left out, and so NULL: lat, lng, resolved_by, resolved_at.
LINE_COLUMNS = [
    "project",
    "person",
    "roster_entry",
    "id_number",
    "id_number_digest",
    "id_number_masked",
    "name_as_sent",
    "work_date",
    "direction",
    "attend_type",
    "device",
    "device_sn",
    "source",
    "source_label",
    "photo",
    "is_anomaly",
    "anomaly_reason",
    "anomaly_status",
    "resolution_note",
    "record_id",
    "punched_at",
    "received_at",
]


def _punch_lines(b: Build) -> Iterator[str]:
    """The same punches as `_punch_rows`, as COPY text lines built from strings prepared once per
    person, gate and day (times in Asia/Shanghai, written with their +08 offset)."""
    persons = {p["id"]: p for p in b.persons}
    gates = _gates(b)
    clock = clock_times(7, OUT_WINDOW[0] + OUT_WINDOW[1] + RECEIVED_AFTER)
    day_text = {day: day.isoformat() for day in b.days}
    record = 0
    current, parts = None, ("", "", "")
    for entry, day, came, left in person_days(b, b.rng):
        if entry is not current:  # person_days gives an entry's days one after another
            current = entry
            person = persons[entry["person_id"]]
            head = (
                f"{entry['project_id']}\t{person['id']}\t{entry['id']}\t\t{person['id_number_digest']}\t"
                f"{person['id_number_masked']}\t{person['name']}\t"
            )
            ways = []
            for direction in (Direction.IN, Direction.OUT):
                gate = gates[(entry["project_id"], direction)]
                sn = gate["serial_number"]
                ways.append(
                    f"{direction.value}\t{AttendType.FACE.value}\t{gate['id']}\t{sn}\tdevice\t{sn}\t\tf\t\t\t\t"
                )
            parts = (head, *ways)
        head, way_in, way_out = parts
        date = day_text[day]
        yield (
            f"{head}{date}\t{way_in}B{record + 1}\t{date} {clock[came]}+08\t"
            f"{date} {clock[came + RECEIVED_AFTER]}+08\n"
        )
        yield (
            f"{head}{date}\t{way_out}B{record + 2}\t{date} {clock[left]}+08\t"
            f"{date} {clock[left + RECEIVED_AFTER]}+08\n"
        )
        record += 2
