"""Punch ingestion through the signed API, and the load run with wrk (bench/README.md).

The punches sent here go to the big project's on-site persons on the days after the dataset's month
(`ingest_days`), a few per person-day as on a real site, from a device of the benchmark's own
(API_DEVICE). Afterwards they are deleted and those days' summaries rebuilt from what is left, so
the dataset stays the same between runs (the "no hard delete of punches" rule protects real data,
not a benchmark's probe rows).
"""

from __future__ import annotations

import datetime
import json
import secrets
import signal
import subprocess
import time

from bench.scenarios import API_DEVICE, ROOT, WORK, Bench, Row, json_dumps, wrk_path
from jmzhgd.core.codes import Direction

BATCH = 100
# wrk threads and connections: six uploads in flight at once, as six devices pushing together.
CLIENT_THREADS = 2
CLIENT_CONNECTIONS = 6
TIMES_PER_DAY = 9  # 06:00:07, 08:00:07, … 22:00:07


def ingest_days(month_end: datetime.date, today: datetime.date) -> list[datetime.date]:
    """The days the probe punches go to: after the dataset's month and before today (so no punch is
    in the future), or, when too few such days have passed, the dataset month's last ten days
    (the probe times, at :07 seconds, never equal the dataset's own punches)."""
    after = [month_end + datetime.timedelta(days=n) for n in range(1, 32)]
    days = [day for day in after if day < today]
    if len(days) >= 10:
        return days
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
        self.days = ingest_days(bench.month_end, datetime.date.today())
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


def _send(bench: Bench, api: ApiTarget, bodies: list[bytes]) -> tuple[dict, list[str], float]:
    """POST every body once with wrk (bench/ingest.lua) over CLIENT_CONNECTIONS connections;
    returns (wrk's summary, problems, wall seconds from the client's start up to the last answer)."""
    wrk = wrk_path()
    if wrk is None:
        raise RuntimeError("missing: wrk (apt-get install wrk)")
    WORK.mkdir(parents=True, exist_ok=True)
    requests_path, summary_path = WORK / "ingest.tsv", WORK / "ingest-summary.json"
    with requests_path.open("w", encoding="utf-8") as out:
        out.write(f"K\t{api.app_key}\n")
        write_signed_requests(out, api, bodies)
    summary_path.unlink(missing_ok=True)
    threads = min(CLIENT_THREADS, len(bodies))
    command = [
        wrk,
        f"-t{threads}",
        f"-c{max(threads, CLIENT_CONNECTIONS)}",
        "-d120s",  # stopped by the harness once every thread has its last answer
        "--timeout",
        "60s",
        "-s",
        str(ROOT / "bench/ingest.lua"),
        f"http://127.0.0.1:{bench.port}",
        "--",
        str(requests_path),
        str(summary_path),
        str(threads),
    ]
    launched = time.perf_counter()
    # From bench/, where the scripts find their shared module (require "wrk_signed").
    process = subprocess.Popen(
        command, cwd=ROOT / "bench", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # Timed from the first thread's "ready" (its share read, about to send) to the last "done":
    # wrk starts each thread as soon as it is ready, and reading the file is the client's setup.
    started, finished = None, 0
    for line in process.stdout:
        if line.strip() == "ready" and started is None:
            started = time.perf_counter()
        finished += line.strip() == "done"
        if finished == threads:
            break
    wall = time.perf_counter() - (started or launched)  # a wrk that never got ready is reported below
    process.send_signal(signal.SIGINT)  # wrk then reports and runs the script's done()
    _, errors = process.communicate(timeout=60)
    problems = []
    if finished < threads:
        problems.append(f"wrk ended before every answer: {errors[-300:]}")
    summary = (
        json.loads(summary_path.read_text(encoding="utf-8", errors="replace"))
        if summary_path.exists()
        else {}
    )
    if not summary:
        problems.append(f"wrk wrote no summary: {errors[-300:]}")
    elif summary["answered"] != len(bodies) or summary["bad"]:
        problems.append(
            f"{summary['answered']} of {len(bodies)} answered, {summary['bad']} bad: {summary['first_bad']}"
        )
    return summary, problems, wall


def _api_queries(api: ApiTarget, records: list[dict], warm_up: list[dict]) -> int:
    """Statements of one request in steady state: after a warm-up request on the same connection
    (the first one also creates the session's staging table), as the pages are counted."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")

    def post(batch: list[dict]):
        body = api.body(batch)
        response = client.post(
            api.path, data=body, content_type="application/json", headers=api.headers(body)
        )
        if response.status_code != 200:
            raise RuntimeError(
                f"in-process API call answered {response.status_code}: {response.content[:200]!r}"
            )

    post(warm_up)
    with CaptureQueriesContext(connection) as queries:
        post(records)
    return len(queries.captured_queries)


def _bare_insert_rate(api: ApiTarget, records: list[dict]) -> float:
    """Punches/s of a plain bulk_create of the same rows (batches of 100), rolled back."""
    from django.db import transaction

    from attendance.models import Punch
    from attendance.summaries import shanghai_work_date
    from jmzhgd.core.pii import id_digest
    from workforce.models import Person, RosterEntry

    digests = {id_digest(r["idCardNumber"]) for r in records}
    persons = {p.id_number_digest: p.pk for p in Person.objects.filter(id_number_digest__in=digests)}
    entries = dict(
        RosterEntry.objects.filter(project_id=api.project_id, exit_date__isnull=True).values_list(
            "person_id", "id"
        )
    )
    from django.utils.dateparse import parse_datetime
    from django.utils.timezone import make_aware

    rows = []
    for r in records:
        at = make_aware(parse_datetime(r["time"]))
        person = persons[id_digest(r["idCardNumber"])]
        rows.append(
            Punch(
                project_id=api.project_id,
                person_id=person,
                roster_entry_id=entries.get(person),
                id_number=r["idCardNumber"],
                punched_at=at,
                work_date=shanghai_work_date(at),
                direction=r["direction"],
                attend_type=r["attendType"],
                device_sn=API_DEVICE,
                record_id="bare-" + r["recordId"],
            )
        )
    started = time.perf_counter()
    with transaction.atomic():
        Punch.objects.bulk_create(rows, batch_size=BATCH)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return len(rows) / elapsed


def _measure(
    bench: Bench, api: ApiTarget, scenario: str, *, total: int, per_request: int, target, note, extra
):
    """Send `total` punches in requests of `per_request` with wrk (CLIENT_CONNECTIONS uploads in
    flight) on fresh time slots, add the row and return the rate (punches a second; with one punch
    a request, that is requests a second)."""
    base = api.slots(total)
    bodies = [api.body(api.records(i * per_request, per_request, base)) for i in range(total // per_request)]
    summary, problems, wall = _send(bench, api, bodies)
    rate = total / wall
    probe = api.slots(2 * per_request)
    queries = _api_queries(
        api, api.records(0, per_request, probe), api.records(per_request, per_request, probe)
    )
    label, minimum = target
    unit = "punches" if per_request > 1 else "requests"
    bench.rows.append(
        Row(
            scenario,
            f"{total:,} {unit}, wrk with {CLIENT_CONNECTIONS} connections",
            label,
            not problems and rate >= minimum,
            summary.get("latency_p50_ms"),
            summary.get("latency_p95_ms"),
            queries,
            note=note(rate) + (f"; {len(problems)} problems: {problems[0]}" if problems else ""),
            extra=extra(rate),
        )
    )
    return rate


def ingest(bench: Bench) -> None:
    api = ApiTarget(bench)
    try:
        # Warm-up: one punch for everybody on the roster, spread over the workers (each worker
        # memoises the validation and encryption of the numbers it has seen, as it would after a
        # few minutes in production); then the measured runs on fresh time slots.
        warm_count = min(len(api.numbers), bench.sizes.batched_punches)
        warm = api.slots(warm_count)
        warm_bodies = [
            api.body(api.records(i, min(BATCH, warm_count - i), warm)) for i in range(0, warm_count, BATCH)
        ]
        _send(bench, api, warm_bodies)
        batched, single = bench.sizes.batched_punches, bench.sizes.single_requests
        bare = _bare_insert_rate(api, api.records(0, batched, api.slots(batched)))
        rate = _measure(
            bench,
            api,
            "punch ingestion, batches of 100",
            total=batched,
            per_request=BATCH,
            target=("≥ 20,000 punches/s", 20_000),
            note=lambda rate: (
                f"{rate:,.0f} punches/s; bare bulk_create of the same rows {bare:,.0f}/s "
                f"(API = {rate / bare:.2f}× bare)"
            ),
            extra=lambda rate: {"punches_per_second": round(rate), "bare_insert_per_second": round(bare)},
        )
        bench.log(f"  ingestion batched: {rate:,.0f} punches/s (bare {bare:,.0f}/s)")
        rate = _measure(
            bench,
            api,
            "punch ingestion, single requests",
            total=single,
            per_request=1,
            target=("≥ 300 requests/s", 300),
            note=lambda rate: f"{rate:,.0f} requests/s",
            extra=lambda rate: {"requests_per_second": round(rate)},
        )
        bench.log(f"  ingestion single: {rate:,.0f} requests/s")
    finally:
        api.cleanup()


# --- the load run -------------------------------------------------------------------------------

LOAD_API_EVERY = 4  # one request in four is an API push of 10 punches
LOAD_BATCH = 10


def load_run(bench: Bench) -> None:
    seconds = bench.load_seconds
    target = f"{seconds} s, 0 errors"
    wrk = wrk_path()
    if wrk is None:
        bench.rows.append(Row("load run (wrk)", "", target, False, note="missing: wrk (apt-get install wrk)"))
        return
    from bench.page_scenarios import _entry_on_site

    api = ApiTarget(bench)
    try:
        entry = _entry_on_site(bench, 3)
        project = bench.project_cookie
        supervisor = bench.supervisor_cookie
        pages = [
            (project, bench.url("workforce:roster", project_id=bench.project_id)),
            (project, bench.url("workforce:roster", "page=20", project_id=bench.project_id)),
            (
                project,
                bench.url("workforce:person_detail", project_id=bench.project_id, person_id=entry.person_id),
            ),
            (
                project,
                bench.url(
                    "attendance:month", f"month={bench.month_start:%Y-%m}", project_id=bench.project_id
                ),
            ),
            (project, bench.url("projects:overview", project_id=bench.project_id)),
            (supervisor, bench.url("projects:dashboard")),
        ]
        pages = [(cookie, path) for cookie, path in pages if path]
        WORK.mkdir(parents=True, exist_ok=True)
        config = WORK / "load.tsv"
        n_api = bench.sizes.load_pushes
        base = api.slots(n_api * LOAD_BATCH)
        with config.open("w", encoding="utf-8") as out:
            out.write(f"K\t{api.app_key}\n")
            for cookie, path in pages:
                out.write(f"P\t{cookie[0]}={cookie[1]}\t{path}\n")
            write_signed_requests(
                out, api, [api.body(api.records(i * LOAD_BATCH, LOAD_BATCH, base)) for i in range(n_api)]
            )
        summary_path = WORK / "load-summary.json"
        summary_path.unlink(missing_ok=True)
        command = [
            wrk,
            "-t2",
            "-c8",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(ROOT / "bench/load.lua"),
            f"http://127.0.0.1:{bench.port}",
            "--",
            str(config),
            str(LOAD_API_EVERY),
            str(summary_path),
        ]
        bench.log(f"  load run: wrk {seconds} s against gunicorn …")
        completed = subprocess.run(
            command, cwd=ROOT / "bench", capture_output=True, text=True, timeout=seconds + 120
        )
        (WORK / "wrk.out").write_text(completed.stdout + completed.stderr, encoding="utf-8")
        summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
        errors = (
            sum(summary.get(k, 0) for k in ("connect", "read", "write", "timeout", "status", "bad"))
            if summary
            else None
        )
        requests_ = summary.get("requests", 0)
        duration = summary.get("duration_us", 0) / 1e6 or seconds
        rate = requests_ / duration if duration else 0
        passed = completed.returncode == 0 and summary and errors == 0 and requests_ > 0 and api_ok(summary)
        bench.rows.append(
            Row(
                "load run (wrk): pages + API pushes",
                f"{len(pages)} pages + API (1 in {LOAD_API_EVERY}, {LOAD_BATCH} punches), 2 threads × 8 connections",
                target,
                bool(passed),
                summary.get("latency_p50_ms"),
                summary.get("latency_p95_ms"),
                None,
                note=(
                    f"{rate:,.0f} requests/s ({requests_:,} in {duration:.0f} s; {summary.get('api', 0):,} API pushes); "
                    f"errors {errors} ({ {k: summary.get(k, 0) for k in ('connect', 'read', 'write', 'timeout', 'status', 'bad')} })"
                    if summary
                    else f"wrk failed: {completed.stderr[-300:]}"
                ),
                extra=summary,
            )
        )
        bench.log(f"  load run: {rate:,.0f} requests/s, errors {errors}")
    finally:
        api.cleanup()


def api_ok(summary: dict) -> bool:
    """The run must really have mixed API pushes in and not run out of signed requests."""
    return summary.get("api", 0) > 0 and not summary.get("api_exhausted", False)
