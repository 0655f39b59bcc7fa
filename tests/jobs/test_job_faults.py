"""A job that fails, is interrupted or whose worker dies never leaves a file offered as ready: the
export ends 失败 with a Chinese reason, or is run again (docs/jobs.md "Faults")."""

from __future__ import annotations

import datetime
import errno

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from jmzhgd.jobs import runner, services, stall
from jmzhgd.jobs.models import Export, ExportState, WorkerHeartbeat
from jmzhgd.jobs.tasks import run_export

pytestmark = pytest.mark.django_db


def stored(export) -> bool:
    return runner.storage().exists(export.storage_name)


def failing_after(count: int, exc: BaseException):
    """A detail_row that fails on its `count`-th call, as a fault in the middle of the export."""
    from attendance import reports

    original, calls = reports.detail_row, []

    def row(p):
        calls.append(p)
        if len(calls) == count:
            raise exc
        return original(p)

    return row


def test_a_fault_mid_export_leaves_no_file_and_a_failed_export_with_its_reason(queued, monkeypatch):
    monkeypatch.setattr(runner, "PROGRESS_EVERY_ROWS", 1)
    monkeypatch.setattr("attendance.reports.detail_row", failing_after(4, RuntimeError("disk full")))
    run_export.enqueue(queued.pk)
    queued.refresh_from_db()
    assert queued.state == ExportState.FAILED and queued.error == runner.FAILED_GENERIC
    assert queued.done_rows == 3  # progress was written as the rows went, then the fault
    assert not queued.file and not stored(queued)


def test_a_worker_stopped_mid_export_marks_it_interrupted(queued, monkeypatch):
    monkeypatch.setattr("attendance.reports.detail_row", failing_after(2, SystemExit(1)))
    with pytest.raises(SystemExit):
        runner.write_export(queued.pk)
    queued.refresh_from_db()
    assert queued.state == ExportState.FAILED and queued.error == runner.FAILED_INTERRUPTED
    assert not stored(queued)


def test_the_job_checks_access_again_when_it_runs(queued, project_user):
    project_user.is_active = False
    project_user.save()
    run_export.enqueue(queued.pk)
    queued.refresh_from_db()
    assert queued.state == ExportState.FAILED and queued.error == runner.FAILED_NO_ACCESS
    assert not stored(queued)


def test_a_filter_that_no_longer_reads_fails_with_its_message(queued):
    Export.objects.filter(pk=queued.pk).update(params={"date_from": ["2026-99-01"]})
    run_export.enqueue(queued.pk)
    queued.refresh_from_db()
    assert queued.state == ExportState.FAILED and "日期" in queued.error


def test_a_repeated_delivery_of_the_job_runs_the_export_once(queued):
    run_export.enqueue(queued.pk)
    first = Export.objects.get(pk=queued.pk)
    assert runner.write_export(queued.pk) == "skipped"
    again = Export.objects.get(pk=queued.pk)
    assert (again.state, again.attempts, again.finished_at) == (ExportState.READY, 1, first.finished_at)


def killed(export, *, attempts: int) -> None:
    """What a worker killed with SIGKILL leaves: the row running, no progress for 20 minutes, and
    maybe part of a file under the export's name."""
    runner.storage().save(export.storage_name, ContentFile(b"PK\x03\x04 partial"))
    stale = timezone.now() - datetime.timedelta(minutes=20)
    Export.objects.filter(pk=export.pk).update(
        state=ExportState.RUNNING, attempts=attempts, started_at=stale, heartbeat_at=stale
    )


def test_an_export_whose_worker_was_killed_is_run_again(queued, client, project_user):
    killed(queued, attempts=1)
    client.force_login(project_user)
    client.get(f"/exports/{queued.pk}/status/")  # polling notices the stall and queues the export again
    queued.refresh_from_db()
    assert (queued.state, queued.attempts, queued.done_rows) == (ExportState.READY, 2, 5)
    with runner.storage().open(queued.storage_name) as handle:
        assert b"partial" not in handle.read()


def test_an_export_killed_too_often_ends_failed_without_its_partial_file(queued, settings):
    killed(queued, attempts=settings.EXPORT_MAX_ATTEMPTS)
    call_command("purge_exports")
    queued.refresh_from_db()
    assert queued.state == ExportState.FAILED and queued.error == runner.FAILED_INTERRUPTED
    assert not stored(queued)


def test_a_slow_export_that_still_reports_progress_is_left_alone(queued):
    Export.objects.filter(pk=queued.pk).update(
        state=ExportState.RUNNING, attempts=1, heartbeat_at=timezone.now() - datetime.timedelta(seconds=30)
    )
    assert services.recover_stalled() == 0
    assert Export.objects.get(pk=queued.pk).state == ExportState.RUNNING


def test_purge_exports_deletes_exports_older_than_seven_days_and_their_files(queued):
    run_export.enqueue(queued.pk)
    fresh = Export.objects.get(pk=queued.pk)
    old = Export.objects.create(
        user=fresh.user, project=fresh.project, exporter=fresh.exporter, label="旧", filename="旧.xlsx"
    )
    runner.storage().save(old.storage_name, ContentFile(b"PK"))
    Export.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    call_command("purge_exports")
    assert list(Export.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert stored(fresh) and not stored(old)


def beating(job: str, *, seconds_ago: int = 0) -> WorkerHeartbeat:
    """A worker's heartbeat naming `job`, written `seconds_ago`."""
    at = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    return WorkerHeartbeat.objects.create(
        worker_id=f"w{WorkerHeartbeat.objects.count()}", host="h", pid=1, started_at=at, seen_at=at, job=job
    )


def test_a_stalled_export_is_handed_on_within_two_minutes_unless_a_live_worker_names_it(queued):
    three_minutes_ago = timezone.now() - datetime.timedelta(minutes=3)
    Export.objects.filter(pk=queued.pk).update(
        state=ExportState.RUNNING, attempts=1, heartbeat_at=three_minutes_ago
    )
    beating(stall.job_label(Export, queued.pk))  # its worker is alive (a long first query, say)
    assert services.recover_stalled() == 0
    WorkerHeartbeat.objects.update(seen_at=three_minutes_ago)  # the worker died with it
    assert stall.recover_all()["jobs:export"] == 1  # as a live worker's heartbeat thread runs it
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == (ExportState.READY, 2)


def test_a_disk_full_export_tells_the_clerk_so_and_logs_the_cause(queued, monkeypatch, caplog):
    def disk_full(name, content, max_length=None):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(runner.storage(), "save", disk_full)
    run_export.enqueue(queued.pk)
    queued.refresh_from_db()
    assert queued.state == ExportState.FAILED and queued.error == runner.FAILED_DISK_FULL
    assert "No space left on device" in caplog.text
    assert runner.storage_error_reason(OSError(errno.EACCES, "")) == runner.FAILED_NOT_WRITABLE


def test_cancel_then_retry_runs_the_export_again_and_counts_its_rows_afresh(queued, client, project_user):
    # What a stuck run of another month left: more rows written than the total now holds.
    Export.objects.filter(pk=queued.pk).update(
        state=ExportState.RUNNING, attempts=1, done_rows=18450, total_rows=6463
    )
    client.force_login(project_user)
    assert (
        client.get(f"/exports/{queued.pk}/status/").json()["done_rows"] == 6463
    )  # never more than the total
    page = client.get("/exports/").content.decode()
    assert "取消" in page and "重试" not in page

    client.post(f"/exports/{queued.pk}/cancel/")
    queued.refresh_from_db()
    assert (queued.state, queued.error) == (ExportState.CANCELLED, services.CANCELLED)
    assert "重试" in client.get("/exports/").content.decode()

    client.post(f"/exports/{queued.pk}/retry/")  # the test's immediate backend runs it at once
    queued.refresh_from_db()
    assert (queued.state, queued.done_rows, queued.total_rows, queued.error) == (ExportState.READY, 5, 5, "")


def test_a_running_export_that_is_cancelled_stops_and_leaves_no_file(queued, monkeypatch):
    monkeypatch.setattr(runner, "PROGRESS_EVERY_ROWS", 1)
    from attendance import reports

    original = reports.detail_row

    def cancel_on_the_way(p):
        services.cancel_export(queued)
        return original(p)

    monkeypatch.setattr(reports, "detail_row", cancel_on_the_way)
    assert runner.write_export(queued.pk) == "superseded"
    queued.refresh_from_db()
    assert queued.state == ExportState.CANCELLED and not stored(queued)


def test_an_export_queued_without_a_worker_says_so(queued, client, project_user):
    Export.objects.filter(pk=queued.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=2))
    client.force_login(project_user)
    assert client.get(f"/exports/{queued.pk}/status/").json()["notice"] == services.NO_WORKER_NOTICE
    beating("")
    assert client.get(f"/exports/{queued.pk}/status/").json()["notice"] == ""


def test_a_job_whose_failure_cannot_be_recorded_ends_that_job_only_and_the_worker_backs_off():
    """What stopped the worker on SQLite: the job failed, and recording the failure met "database
    is locked" too. Now that ends the job only; a lost database is polled again with backoff."""
    from django.db import OperationalError

    from jmzhgd.jobs import worker

    class LockedTaskRow:
        id = "t1"

        @property
        def task(self):
            raise OperationalError("database is locked")

        def set_failed(self, exc):
            raise OperationalError("database is locked")

    runner = worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="database",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    runner.run_task(LockedTaskRow())  # returns: the worker goes on to the next job
    assert runner._run_tasks == 1 and not runner.running_task

    backoff = worker.Backoff()
    delays = [backoff.next() for _ in range(8)]
    assert 1 <= delays[0] <= 1.25 and 2 <= delays[1] <= 2.5 and all(10 <= d <= 12.5 for d in delays[5:])
    backoff.reset()
    assert backoff.next() <= 1.25
