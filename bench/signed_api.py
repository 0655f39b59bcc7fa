"""The signed API as the benchmark's devices use it: a credential for the big project, the persons
to punch for, fresh time slots, pre-signed uploads for wrk (the ingestion and load scenarios).

The punches sent go to the big project's on-site persons on the last days of the dataset's month
(`ingest_days`), a few per person-day as on a real site, from a device of the benchmark's own
(API_DEVICE); `cleanup` deletes them and rebuilds those days' summaries, so the dataset stays the
same between runs.
"""

from __future__ import annotations

import datetime
import secrets
import time

from bench.harness import API_DEVICE, Bench, json_dumps
from jmzhgd.core.codes import Direction

TIMES_PER_DAY = 9  # 06:00:07, 08:00:07, … 22:00:07


def ingest_days(month_end: datetime.date) -> list[datetime.date]:
    """The days the probe punches go to: the dataset month's last ten days, so the upload stores
    into the month that holds the dataset's punches (and, on PostgreSQL, into its full monthly
    partition), as a device's upload does on a working day. The probe times, at :07 seconds, never
    equal the dataset's own punches, and the month is over, so no punch is in the future."""
    return [month_end - datetime.timedelta(days=n) for n in range(9, -1, -1)]


class ApiTarget:
    """A credential for the big project, the persons to punch for and the days to punch on."""

    def __init__(self, bench: Bench):
        from attendance.models import Device
        from jmzhgd.api.services import create_credential
        from jmzhgd.core.actor import Actor
        from projects.models import Project
        from workforce.models import Person

        project = Project.objects.get(pk=bench.project_id)
        credential, self.secret = create_credential(
            Actor.system("基准测试"), name=f"基准测试 {time.strftime('%Y-%m-%d %H:%M')}", projects=[project]
        )
        self.app_key = credential.app_key
        Device.objects.get_or_create(
            serial_number=API_DEVICE,
            defaults={"project": project, "vendor": "基准测试", "name": "基准测试接口"},
        )
        self.path = f"/api/v1/projects/{bench.project_id}/punches"
        self.numbers = list(
            Person.objects.filter(
                roster_entries__project_id=bench.project_id, roster_entries__exit_date__isnull=True
            )
            .order_by("id")
            .values_list("id_number", flat=True)
        )
        self.days = ingest_days(bench.month_end)
        self.project_id = bench.project_id
        self.run = secrets.token_hex(3)
        self.next_slot = 0

    def slots(self, count: int) -> int:
        """A fresh range of slots for `count` punches (one per person per slot)."""
        base = self.next_slot
        self.next_slot += count // len(self.numbers) + 2
        if self.next_slot > len(self.days) * TIMES_PER_DAY:
            raise RuntimeError("too many punches for the ingest days")
        return base

    def slot_time(self, slot: int) -> tuple[datetime.datetime, str]:
        """When a slot's punches happen, and which way. Consecutive slots go to different days
        first, so a person-day collects at most a few punches over a whole benchmark, as on a real
        site (two to four a day); piling every slot onto one day made each summary refresh
        aggregate dozens of punches per person, more with every batch."""
        day = self.days[slot % len(self.days)]
        index = slot // len(self.days)
        at = datetime.datetime.combine(day, datetime.time(6, 0, 7)) + datetime.timedelta(hours=2 * index)
        return at, Direction.IN if index % 2 == 0 else Direction.OUT

    def records(self, start: int, count: int, slot_base: int) -> list[dict]:
        """`count` punches, each a distinct (person, time, direction) on the ingest days."""
        out = []
        for k in range(start, start + count):
            person = k % len(self.numbers)
            slot = slot_base + k // len(self.numbers)
            at, direction = self.slot_time(slot)
            out.append(
                {
                    "recordId": f"{self.run}-{slot_base}-{k}",
                    "idCardNumber": self.numbers[person],
                    "time": f"{at:%Y-%m-%d %H:%M:%S}",
                    "direction": direction,
                    "attendType": "001",
                }
            )
        return out

    def body(self, records: list[dict]) -> bytes:
        return json_dumps({"deviceSn": API_DEVICE, "records": records})

    def headers(self, body: bytes) -> dict:
        from clients.jmzhgd_client import signed_headers

        return {
            **signed_headers(self.app_key, self.secret, "POST", self.path, body),
            "Content-Type": "application/json; charset=utf-8",
        }

    def cleanup(self) -> None:
        from attendance.models import DailySummary, Punch
        from attendance.summaries import rebuild_daily_summaries

        Punch.objects.filter(device_sn=API_DEVICE).delete()
        first, last = min(self.days), max(self.days)
        DailySummary.objects.filter(project_id=self.project_id, work_date__range=(first, last)).delete()
        rebuild_daily_summaries(project=self.project_id, date_from=first, date_to=last)
        # The deleted probe rows would stay in the indexes until autovacuum came by, and every
        # later run would insert among them, a little slower each time.
        from django.db import connection

        if connection.vendor != "postgresql":  # the harness's own tests also run on SQLite
            return
        with connection.cursor() as cursor:
            for model in (Punch, DailySummary):
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def write_signed_requests(out, api: ApiTarget, bodies: list[bytes]) -> None:
    """One pre-signed upload per line (fresh nonce each) for the wrk scripts, which cannot sign."""
    for body in bodies:
        headers = api.headers(body)
        out.write(
            f"A\t{api.path}\t{headers['X-Timestamp']}\t{headers['X-Nonce']}\t{headers['X-Sign']}\t"
            f"{body.decode('utf-8')}\n"
        )


def api_ok(summary: dict) -> bool:
    """The run must really have mixed API pushes in and not run out of signed requests."""
    return summary.get("api", 0) > 0 and not summary.get("api_exhausted", False)
