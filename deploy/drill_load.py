"""The recovery drill's clients (deploy/drill.py): supervisors reading pages and devices sending punches,
counting what was acknowledged and every error, before, during and after the switch to the standby."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from attendance.management.commands.simulate_devices import Command as Simulator
from clients.jmzhgd_client import ApiError, PlatformClient

SESSION_SNIPPET = """
from django.conf import settings
from django.test import Client
from jmzhgd.accounts.models import Role, User
user, _ = User.objects.update_or_create(
    username="drill_supervisor",
    defaults={"role": Role.SUPERVISOR, "real_name": "演练监管员", "must_change_password": False},
)
client = Client()
client.force_login(user)
print(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
"""

PAGES = ["/dashboard/", "/alerts/"]


@dataclass
class Traffic:
    """Counts every request the clients made and what failed, before, during and after the switch."""

    base_url: str
    session: str
    stop: threading.Event
    killed_at: float | None = None
    recovered_at: float | None = None
    requests: int = 0
    page_ok: int = 0
    errors: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, ok: bool, what: str, started: float) -> None:
        with self.lock:
            self.requests += 1
            if ok and self.killed_at is not None and started > self.killed_at and self.recovered_at is None:
                self.recovered_at = time.monotonic()
            if not ok:
                phase = (
                    "before" if self.killed_at is None else "switch" if self.recovered_at is None else "after"
                )
                self.errors.setdefault(phase, {}).setdefault(what, 0)
                self.errors[phase][what] += 1

    def errors_summary(self) -> dict:
        return self.errors

    def pages(self) -> None:
        while not self.stop.is_set():
            for page in PAGES:
                started = time.monotonic()
                request = urllib.request.Request(self.base_url + page, headers={"Cookie": self.session})
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        ok = response.status == 200 and "/login" not in response.url
                except (urllib.error.URLError, OSError):
                    ok = False
                self.note(ok, f"GET {page}", started)
                if ok:
                    self.page_ok += 1
            self.stop.wait(0.3)


class Device:
    """One project's attendance device: the simulator's punches in batches, each batch sent again
    (after a pause) until the platform answers it, as the API contract asks (docs/deploy.md §6)."""

    def __init__(self, client: PlatformClient, project_id: int, persons: list[dict], traffic: Traffic, args):
        options = {"days": args.days, "seed": project_id, "anomalies": 0}
        self.records = Simulator()._records(persons, options)
        self.client, self.project_id, self.traffic, self.batch = client, project_id, traffic, args.batch
        self.device_sn = f"DEMO{project_id:04d}GATE01"  # the demo's gate (attendance/demo.py): ids are kept
        self.acknowledged: set[str] = set()
        # Spread over twice the time to the kill, so that the kill falls mid-load.
        self.pause = 2 * args.kill_after / max(1, len(self.records) / self.batch)

    def run(self) -> None:
        for start in range(0, len(self.records), self.batch):
            batch = self.records[start : start + self.batch]
            failed = False
            while not self.traffic.stop.is_set():
                started = time.monotonic()
                try:
                    result = self.client.upload_punches(self.project_id, batch, device_sn=self.device_sn)
                except (ApiError, OSError) as exc:
                    what = f"POST punches {getattr(exc, 'status', type(exc).__name__)}"
                    self.traffic.note(False, what, started)
                    failed = True
                    self.traffic.stop.wait(0.5)
                    continue
                self.traffic.note(True, "POST punches", started)
                for item in result["results"]:
                    # "duplicate" on a first answer is a demo punch of the same second, not this one.
                    if item["status"] in ("created", "anomaly") or (item["status"] == "duplicate" and failed):
                        self.acknowledged.add(batch[item["index"]]["recordId"])
                break
            if self.traffic.stop.is_set():
                return
            self.traffic.stop.wait(self.pause)


def healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "/healthz", timeout=3) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False
