"""The real queue: a job enqueued on the database backend is picked up by a real
`manage.py db_worker` process, as `make run` and the systemd units start it (docs/jobs.md)."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django.utils import timezone

from attendance.models import Punch
from jmzhgd.jobs.models import Export, ExportState, WorkerHeartbeat
from jmzhgd.jobs.tasks import run_export
from tests import factories
from tests.faults import figures

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_command(*options: str) -> list[str]:
    return [sys.executable, "manage.py", "db_worker", "--backend", "database", "--no-reload"] + [
        "--no-startup-delay",
        *options,
    ]


def worker_env(settings, **extra: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jmzhgd.settings_test",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra,
    }


@pytest.mark.django_db(transaction=True)
def test_a_real_db_worker_takes_a_queued_export_to_ready(queued, settings):
    from django_tasks_db.models import DBTaskResult

    export = queued
    result = run_export.using(backend="database").enqueue(export.pk)
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    assert Export.objects.get(pk=export.pk).state == ExportState.QUEUED

    worker = subprocess.run(
        worker_command("--batch", "--interval", "0"),
        cwd=ROOT,
        env=worker_env(settings),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr

    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    export.refresh_from_db()
    assert (export.state, export.done_rows, export.attempts) == (ExportState.READY, 5, 1)
    assert (Path(settings.MEDIA_ROOT) / export.storage_name).stat().st_size == export.size


EXPORT_ROWS = 20_000


def many_punches(project, count: int) -> None:
    """`count` punches of one worker on 2026-04-09, one second apart: the first made by the factory,
    the others copies of its stored values (already encrypted: the model would encrypt 20,000 times)."""
    first = factories.PunchFactory(
        roster_entry=factories.RosterEntryFactory(team__unit__project=project),
        punched_at=timezone.make_aware(datetime.datetime(2026, 4, 9, 6, 0)),
    )
    table = connection.ops.quote_name(Punch._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [first.pk])
        names = [column[0] for column in cursor.description]
        stored = dict(zip(names, cursor.fetchone(), strict=True))
        names.remove("id")
        punched = names.index("punched_at")
        rows = []
        for i in range(1, count):
            row = [stored[name] for name in names]
            row[punched] = connection.ops.adapt_datetimefield_value(
                first.punched_at + datetime.timedelta(seconds=i)
            )
            rows.append(row)
        columns = ", ".join(connection.ops.quote_name(name) for name in names)
        placeholders = ", ".join(["%s"] * len(names))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


@pytest.mark.django_db(transaction=True)
def test_a_20000_row_export_finishes_while_its_status_is_polled_and_the_worker_lives_on(
    project, project_user, settings, client
):
    """On `make run`'s database (SQLite; PostgreSQL alike): the worker streams the rows and writes
    its progress while the 我的导出 page polls the status and others write (a login, the worker's own
    heartbeat every second), then takes the next job."""
    many_punches(project, EXPORT_ROWS)

    def ask(day: str) -> Export:
        export = Export.objects.create(
            user=project_user,
            project=project,
            exporter="attendance:details",
            label="考勤明细",
            filename="考勤明细.xlsx",
            params={"date_from": [day], "date_to": [day]},
            total_rows=1,  # counted again by the run
        )
        run_export.using(backend="database").enqueue(export.pk)
        return export

    export = ask("2026-04-09")
    client.force_login(project_user)
    worker = subprocess.Popen(
        worker_command("--interval", "0.2"),
        cwd=ROOT,
        env=worker_env(settings, WORKER_HEARTBEAT_SECONDS="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        seen, deadline = [], time.monotonic() + 90
        while time.monotonic() < deadline:
            status = client.get(f"/exports/{export.pk}/status/").json()
            seen.append((status["done_rows"], status["total_rows"]))
            project_user.save(update_fields=["last_login"])  # another writer, as a request would be
            if status["final"]:
                break
            time.sleep(0.2)
        assert status["state"] == ExportState.READY, (status, seen)
        assert any(0 < done < EXPORT_ROWS for done, _ in seen), seen  # progress was seen on the way
        assert all(done <= total for done, total in seen) and seen[-1] == (EXPORT_ROWS, EXPORT_ROWS)

        second = ask("2026-04-10")  # the worker lives on and takes the next job (no rows)
        deadline = time.monotonic() + 60
        while Export.objects.get(pk=second.pk).state != ExportState.READY and time.monotonic() < deadline:
            time.sleep(0.2)
        assert Export.objects.get(pk=second.pk).state == ExportState.READY
        assert worker.poll() is None
        assert WorkerHeartbeat.objects.filter(pid=worker.pid, media_error="").exists()
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert "database is locked" not in output, output


def wait_for(condition, seconds: float = 60, every: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        connection.close()  # a fresh read each time (and a connection a fault may have dropped)
        value = condition()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"still not so after {seconds} s")


def exported(export: Export) -> bool:
    return Export.objects.get(pk=export.pk).state == ExportState.READY


@pytest.mark.django_db(transaction=True)
def test_the_worker_outlives_its_database_connections_and_keep_worker_restarts_a_killed_one(
    project, project_user, punches, settings
):
    """`make run`'s worker (keep_worker → db_worker): a dropped database connection (PostgreSQL:
    every connection of the worker terminated, as a restart does) is survived by the same process,
    which polls again with backoff; a worker killed outright is started again within seconds."""
    from tests.faults.test_database_outage import terminate_other_connections

    def ask() -> Export:
        export = Export.objects.create(
            user=project_user,
            project=project,
            exporter="attendance:details",
            label="考勤明细",
            filename="考勤明细.xlsx",
            params={"date_from": ["2026-04-09"], "date_to": ["2026-04-09"]},
        )
        run_export.using(backend="database").enqueue(export.pk)
        return export

    supervisor = subprocess.Popen(
        [sys.executable, "manage.py", "keep_worker", "--", "--backend", "database", "--interval", "0.2"],
        cwd=ROOT,
        env=worker_env(settings, WORKER_HEARTBEAT_SECONDS="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = wait_for(lambda: WorkerHeartbeat.objects.first())

        if connection.vendor == "postgresql":
            for _ in range(3):  # idle, then again while it backs off
                terminate_other_connections()
                time.sleep(0.5)
            connection.close()
            dropped = time.monotonic()
            export = ask()
            wait_for(lambda: exported(export), seconds=30)
            assert WorkerHeartbeat.objects.filter(pid=first.pid, seen_at__gt=first.seen_at).exists()
            figures.record(
                "worker's connections terminated 3 times (PostgreSQL)",
                same_process=True,
                seconds_to_next_export_done=round(time.monotonic() - dropped, 1),
            )

        os.kill(first.pid, 9)  # the worker dies outright: keep_worker starts another
        killed = time.monotonic()
        restarted = wait_for(lambda: WorkerHeartbeat.objects.exclude(pid=first.pid).first(), seconds=60)
        back = time.monotonic() - killed
        assert restarted.pid != first.pid
        export = ask()
        wait_for(lambda: exported(export), seconds=30)
        assert supervisor.poll() is None
        figures.record(
            f"worker killed with SIGKILL under keep_worker ({connection.vendor})",
            seconds_to_new_heartbeat=round(back, 1),
            seconds_to_next_export_done=round(time.monotonic() - killed, 1),
        )
    finally:
        supervisor.terminate()
        output = supervisor.communicate(timeout=60)[0]
    assert "后台任务进程已退出" in output and output.count("后台任务进程已启动") == 2, output
