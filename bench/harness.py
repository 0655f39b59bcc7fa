"""The harness every scenario of `make bench` shares: sizes, rows, yardsticks, gunicorn, HTTP, sessions.

Scenario modules import this one and never each other; bench.run lists them and prints the table.

How each figure is taken:

- Pages and the API are timed over HTTP against gunicorn (deploy/gunicorn.conf.py, its default
  worker count) on the bench database, DJANGO_DEBUG=0, after a warm-up; median and p95 are over
  the timed requests, each a full request/response including reading the body.
- Signing in: the login form has a captcha and a running site has no switch to turn it off, so the
  harness creates an authenticated session directly in the bench database
  (django.contrib.sessions SessionStore with the user's id, backend and session hash — what
  django.contrib.auth.login stores) and sends its cookie.
- SQL queries per request: the same request once more, in the harness process, through Django's
  test Client against the same database, inside CaptureQueriesContext (after one warm-up request).
- Exports run through gunicorn for the time; the details export also runs in a subprocess
  (bench.export_memory) through the same view, whose peak RSS growth (resource.getrusage) is the
  memory figure.
- Ingestion goes through the signed API with the reference client's signing
  (clients/jmzhgd_client.py), from several client threads; the bare bulk insert of the same rows
  (bulk_create in a rolled-back transaction) is the yardstick.
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import yardsticks

ROOT = Path(__file__).resolve().parent.parent
# The virtualenv the harness runs in (`make bench` makes it from the deployment's interpreter, see the
# Makefile); gunicorn and the harness's subprocesses run from the same one.
VENV_BIN = Path(sys.executable).parent
WORK = Path(os.environ.get("BENCH_WORK_DIR") or Path(tempfile.gettempdir()) / "jmzhgd-bench")
API_DEVICE = "BENCH-API-GATE"


@dataclass(frozen=True)
class Sizes:
    """How much each scenario sends: the benchmark's, or a smoke run's (tests/bench, --tiny)."""

    page_samples: int = 30
    page_warmup: int = 10  # two per gunicorn worker (5): each worker loads its templates on first use
    export_samples: int = 3
    # Long enough (4–10 s at target) for a rate that does not swing with one slow second.
    batched_punches: int = 60_000
    single_requests: int = 3_000
    import_rows: int = 5_000
    load_pushes: int = 12_000
    entry_batch: int = 100  # the 进场 checks' batch (bench/entry_scenarios.py)


FULL_SIZES = Sizes()
SMOKE_SIZES = Sizes(
    page_samples=2,
    page_warmup=1,
    export_samples=1,
    batched_punches=200,
    single_requests=10,
    import_rows=10,
    load_pushes=200,
    entry_batch=5,
)


@dataclass
class Row:
    scenario: str
    size: str
    target: str
    passed: bool
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)
    # Set by yardsticks.judge: what this run measured to tell the machine's speed, the row's figure
    # over it, the ratio the row must meet, and a flag when only the absolute target was missed.
    yardstick: str = ""
    yardstick_value: float | None = None
    ratio: float | None = None
    ratio_target: str = ""
    flagged: str = ""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[index]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


# --- gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the deployment's own configuration, on a free port, stopped by its pid."""

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        self.env = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        self.process: subprocess.Popen | None = None
        WORK.mkdir(parents=True, exist_ok=True)
        self.log_path = WORK / "gunicorn.log"

    def __enter__(self) -> Server:
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"), "jmzhgd.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn 启动失败，见 {self.log_path}")
            try:
                status, _, _ = request(self.port, "GET", "/healthz")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn 60 秒内未就绪")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def request(port: int, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    """One request on a fresh connection (gunicorn's sync workers close after each response)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        started = time.perf_counter()
        conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - started
    finally:
        conn.close()


# --- sessions and query counts ----------------------------------------------------------------


def session_cookie(user) -> tuple[str, str]:
    """An authenticated session for `user`, as django.contrib.auth.login would store it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return settings.SESSION_COOKIE_NAME, store.session_key


def count_queries(path: str, cookie: tuple[str, str]) -> tuple[int, int]:
    """(status, SQL queries) of one GET through the test Client in this process, after a warm-up."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[cookie[0]] = cookie[1]

    def get():
        response = client.get(path)
        if getattr(response, "streaming", False):
            for _ in response.streaming_content:
                pass
        return response

    get()
    with CaptureQueriesContext(connection) as queries:
        response = get()
    return response.status_code, len(queries.captured_queries)


# --- the harness ------------------------------------------------------------------------------


class Bench:
    def __init__(self, marker: dict, env: dict, log: Callable[[str], None], sizes: Sizes = FULL_SIZES):
        from jmzhgd.accounts.models import User

        self.marker = marker
        self.env = env
        self.log = log
        self.project_id = marker["big_project_id"]
        self.month_start = datetime.date.fromisoformat(marker["month_start"])
        next_month = (self.month_start + datetime.timedelta(days=32)).replace(day=1)
        self.month_end = next_month - datetime.timedelta(days=1)
        self.supervisor = User.objects.get(username=marker["supervisor_username"])
        self.project_user = User.objects.get(username=marker["project_username"])
        self.project_cookie = session_cookie(self.project_user)
        self.supervisor_cookie = session_cookie(self.supervisor)
        self.rows: list[Row] = []
        self.server: Server | None = None
        self.load_seconds = 60
        self.sizes = sizes
        self.yardsticks: dict[str, float] = {}

    @property
    def port(self) -> int:
        return self.server.port

    def url(self, name: str, query: str = "", **kwargs) -> str | None:
        from django.urls import NoReverseMatch, reverse

        try:
            path = reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None
        return f"{path}?{query}" if query else path

    def yardstick(self, key: str) -> float:
        """The yardstick `key` (yardsticks.REFERENCE), measured once per run on first use."""
        if key not in self.yardsticks:
            self.yardsticks[key] = yardsticks.MEASURE[key](self)
            self.log(f"  yardstick {key}: {yardsticks.REFERENCE[key].show(self.yardsticks[key])}")
        return self.yardsticks[key]

    @property
    def on_site_size(self) -> str:
        return f"{self.marker['counts']['big_project_on_site']:,} on site"

    def on_site_entries(self):
        from workforce.models import RosterEntry

        return RosterEntry.objects.filter(project_id=self.project_id, exit_date__isnull=True).order_by("id")

    def entry_on_site(self, offset: int = 0):
        entries = self.on_site_entries()
        return entries.select_related("person")[offset % entries.count()]

    def missing(self, scenario: str, size: str, target: str, what: str) -> None:
        self.rows.append(Row(scenario, size, target, False, note=f"missing: {what}"))
        self.log(f"  {scenario}: missing ({what})")

    def time_get(self, path: str, cookie, *, samples: int, warmup: int) -> tuple[list[float], int, int]:
        """Seconds per GET through gunicorn; (timings, last status, body bytes)."""
        headers = {"Cookie": f"{cookie[0]}={cookie[1]}"}
        status, body = 0, b""
        for _ in range(warmup):
            status, body, _ = request(self.port, "GET", path, headers)
        timings = []
        for _ in range(samples):
            status, body, elapsed = request(self.port, "GET", path, headers)
            if status != 200:
                break
            timings.append(elapsed)
        return timings, status, len(body)

    def page(
        self,
        scenario: str,
        size: str,
        path: str | None,
        cookie,
        *,
        limit_ms: float,
        max_queries: int | None = None,
        samples: int | None = None,
        warmup: int | None = None,
        what: str = "",
        yardstick: str = "select_page",
        ratio_limit: float | None = None,
    ) -> Row | None:
        """Time a GET through gunicorn and add its row, judged on p95 over the yardstick (or, with
        `ratio_limit`, on the median over it, as the month grid is against its raw aggregate)."""
        samples = min(samples or self.sizes.page_samples, self.sizes.page_samples)
        warmup = min(warmup if warmup is not None else self.sizes.page_warmup, self.sizes.page_warmup)
        target = f"p95 ≤ {limit_ms:g} ms" + (f", ≤ {max_queries} queries" if max_queries else "")
        if path is None:
            self.missing(scenario, size, target, what)
            return None
        timings, status, length = self.time_get(path, cookie, samples=samples, warmup=warmup)
        _, queries = count_queries(path, cookie)
        if status != 200 or not timings:
            row = Row(scenario, size, target, False, queries=queries, note=f"HTTP {status} for {path}")
        else:
            p95 = percentile(timings, 0.95)
            row = Row(
                scenario,
                size,
                target,
                max_queries is None or queries <= max_queries,
                _ms(statistics.median(timings)),
                _ms(p95),
                queries,
                note=f"{len(timings)} samples, {length:,} bytes",
            )
            figure = row.p95_ms if ratio_limit is None else row.median_ms
            yardsticks.judge(
                row,
                yardstick,
                self.yardstick(yardstick),
                figure,
                limit_ms,
                ratio_limit=ratio_limit,
                absolute=row.p95_ms,
            )
        self.rows.append(row)
        self.log(f"  {scenario}: median {row.median_ms} ms, p95 {row.p95_ms} ms, {row.queries} queries")
        return row


def db_worker(env: dict, worker_id: str = "bench") -> subprocess.Popen:
    """A real `manage.py db_worker` (the background jobs' worker, docs/jobs.md) on the bench
    database; the caller terminates it."""
    WORK.mkdir(parents=True, exist_ok=True)
    log = (WORK / f"db_worker-{worker_id}.log").open("wb")
    return subprocess.Popen(
        [str(VENV_BIN / "python"), "manage.py", "db_worker", "--no-reload", "--worker-id", worker_id],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wrk_path() -> str | None:
    return shutil.which("wrk")


def json_dumps(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
