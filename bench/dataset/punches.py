"""Stage three: devices and the month's punches."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from jmzhgd.core.codes import (
    AttendType,
    Direction,
)

from .plan import SHANGHAI, Build


def build_punches(b: Build) -> None:
    """Two gates per project, and two punches a day for everybody on site, streamed."""
    from attendance.models import Device, Punch

    rng, writer, projects, persons, on_site_entries, days = (
        b.rng,
        b.writer,
        b.projects,
        b.persons,
        b.on_site_entries,
        b.days,
    )
    step = b.step
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
    step("devices", lambda: writer.write(Device, devices))

    persons_by_id = {p["id"]: p for p in persons}
    device_of = {(d["project_id"], d["direction"]): d for d in devices}

    def punch_rows() -> Iterator[dict]:
        record = 0
        for entry in on_site_entries:
            person = persons_by_id[entry["person_id"]]
            device_in = device_of[(entry["project_id"], Direction.IN)]
            device_out = device_of[(entry["project_id"], Direction.OUT)]
            for day in days:
                start = datetime.datetime(day.year, day.month, day.day, 7, 0, tzinfo=SHANGHAI)
                for direction, device, at in (
                    (Direction.IN, device_in, start + datetime.timedelta(seconds=rng.randrange(5400))),
                    (
                        Direction.OUT,
                        device_out,
                        start + datetime.timedelta(seconds=36000 + rng.randrange(5400)),
                    ),
                ):
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
                        "received_at": at + datetime.timedelta(seconds=2),
                    }

    if writer.connection.vendor == "postgresql":
        from attendance.partitions import create_partitions

        # The month's punches go to their month's partition, as in production, not to the DEFAULT one.
        step("punch partitions", lambda: len(create_partitions(since=b.month_start).months))
    step("punches", lambda: writer.write(Punch, punch_rows(), with_id=False))
    b.devices = devices
