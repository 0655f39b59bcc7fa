"""A job that fails, is interrupted or whose worker dies never leaves a file offered as ready: the
export ends 失败 with a Chinese reason, or is run again (docs/jobs.md "Faults")."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from jmzhgd.jobs import services
from jmzhgd.jobs.models import Export, ExportState
from jmzhgd.jobs.tasks import run_export

pytestmark = pytest.mark.django_db


def stored(export) -> bool:
    return services.storage().exists(export.storage_name)


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
    monkeypatch.setattr(services, "PROGRESS_EVERY_ROWS", 1)
    monkeypatch.setattr("attendance.reports.detail_row", failing_after(4, RuntimeError("disk full")))
    run_export.enqueue(queued.pk)
    queued.refresh_from_db()
    assert queued.state == ExportState.FAILED and queued.error == services.FAILED_GENERIC
    assert queued.done_rows == 3  # progress was written as the rows went, then the fault
    assert not queued.file and not stored(queued)


def test_a_worker_stopped_mid_export_marks_it_interrupted(queued, monkeypatch):
    monkeypatch.setattr("attendance.reports.detail_row", failing_after(2, SystemExit(1)))
    with pytest.raises(SystemExit):
        services.run_export(queued.pk)
    queued.refresh_from_db()
    assert queued.state == ExportState.FAILED and queued.error == services.FAILED_INTERRUPTED
    assert not stored(queued)


def test_the_job_checks_access_again_when_it_runs(queued, project_user):
    project_user.is_active = False
    project_user.save()
    run_export.enqueue(queued.pk)
    queued.refresh_from_db()
    assert queued.state == ExportState.FAILED and queued.error == services.FAILED_NO_ACCESS
    assert not stored(queued)


def test_a_filter_that_no_longer_reads_fails_with_its_message(queued):
    Export.objects.filter(pk=queued.pk).update(params={"date_from": ["2026-99-01"]})
    run_export.enqueue(queued.pk)
    queued.refresh_from_db()
    assert queued.state == ExportState.FAILED and "日期" in queued.error


def test_a_repeated_delivery_of_the_job_runs_the_export_once(queued):
    run_export.enqueue(queued.pk)
    first = Export.objects.get(pk=queued.pk)
    assert services.run_export(queued.pk) == "skipped"
    again = Export.objects.get(pk=queued.pk)
    assert (again.state, again.attempts, again.finished_at) == (ExportState.READY, 1, first.finished_at)


def killed(export, *, attempts: int) -> None:
    """What a worker killed with SIGKILL leaves: the row running, no progress for 20 minutes, and
    maybe part of a file under the export's name."""
    services.storage().save(export.storage_name, ContentFile(b"PK\x03\x04 partial"))
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
    with services.storage().open(queued.storage_name) as handle:
        assert b"partial" not in handle.read()


def test_an_export_killed_too_often_ends_failed_without_its_partial_file(queued, settings):
    killed(queued, attempts=settings.EXPORT_MAX_ATTEMPTS)
    call_command("purge_exports")
    queued.refresh_from_db()
    assert queued.state == ExportState.FAILED and queued.error == services.FAILED_INTERRUPTED
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
    services.storage().save(old.storage_name, ContentFile(b"PK"))
    Export.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    call_command("purge_exports")
    assert list(Export.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert stored(fresh) and not stored(old)
