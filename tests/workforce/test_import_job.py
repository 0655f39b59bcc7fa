"""批量人员进场 above IMPORT_JOB_THRESHOLD_ROWS as a background job (docs/jobs.md): queued by the
confirm POST, committed once by the job in one transaction, its progress polled as JSON, and
recovered like an export when its worker dies."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog
from tests.workforce.fixtures.site import NOT_IN_LIBRARY, PERSONS, build_site, row, workbook_bytes
from workforce import imports
from workforce.imports import commit as commit_module
from workforce.imports import job
from workforce.models import ImportBatch, ImportBatchStatus, RosterEntry

pytestmark = pytest.mark.django_db
NAMES = ["李建国", "王秀英", "陈志强"]


@pytest.fixture
def site(project):
    return build_site(project)


@pytest.fixture
def batch(project, site):
    """A preview of three importable rows and one failing row."""
    rows = [row(name, PERSONS[name]) for name in NAMES] + [row(*NOT_IN_LIBRARY)]
    upload = SimpleUploadedFile("进场名单.xlsx", workbook_bytes(rows))
    return imports.create_preview(Actor.system("测试"), project, upload)


@pytest.fixture
def as_job(settings):
    """Every batch of more than one row is committed by the job."""
    settings.IMPORT_JOB_THRESHOLD_ROWS = 1
    return settings


@pytest.fixture
def held(monkeypatch):
    """The job is queued but not run (no worker yet): the calls it was queued with."""
    queued = []
    monkeypatch.setattr(job, "run_import", SimpleNamespace(enqueue=queued.append))
    return queued


def url(name, batch):
    return reverse(f"workforce:{name}", kwargs={"project_id": batch.project_id, "batch_id": batch.pk})


def roster() -> list[tuple]:
    return sorted(
        RosterEntry.objects.values_list(
            "person__name", "team_id", "work_type_id", "category", "is_team_leader", "entry_date", "exit_date"
        )
    )


def test_a_batch_at_the_threshold_commits_within_the_request(project_client, batch, settings, held):
    settings.IMPORT_JOB_THRESHOLD_ROWS = batch.total_rows
    response = project_client.post(url("import_commit", batch), follow=True)
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.IMPORTED and held == []
    assert "导入完成：成功进场3人，失败1行" in response.content.decode()
    assert not AuditLog.objects.filter(action="roster.import_queued").exists()


def test_a_large_batch_goes_through_the_job_and_ends_as_a_direct_commit_would(project_client, batch, as_job):
    with transaction.atomic():  # the direct commit, rolled back after it is observed
        direct = imports.commit_batch(Actor.system("测试"), batch)
        direct_result, direct_roster = (direct.report, direct.entered_count, direct.failed_count), roster()
        transaction.set_rollback(True)
    assert not RosterEntry.objects.exists() and len(direct_roster) == 3

    response = project_client.post(url("import_commit", batch), follow=True)  # the test backend runs it
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.IMPORTED and batch.attempts == 1
    assert (batch.report, batch.entered_count, batch.failed_count) == direct_result
    assert roster() == direct_roster
    assert AuditLog.objects.filter(action="roster.import_queued").count() == 1
    assert AuditLog.objects.get(action="roster.import").actor == batch.committed_by
    page = response.content.decode()
    assert "导入完成：成功进场3人，失败1行" in page and 'data-testid="count-entered">3<' in page


def test_the_batch_page_polls_a_status_json_until_the_job_is_done(
    project_client, project_user, batch, as_job, held
):
    project_client.post(url("import_commit", batch))
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.IMPORTING and held == [batch.pk]
    assert not RosterEntry.objects.exists()
    page = project_client.get(url("import_detail", batch)).content.decode()
    assert f'data-export-status="{url("import_status", batch)}"' in page and "js/exports.js" in page
    assert 'data-reload-when-final="1"' in page and 'data-testid="commit"' not in page
    status = project_client.get(url("import_status", batch))
    assert "no-store" in status["Cache-Control"]
    assert status.json() | {"id": 0} == {
        "id": 0, "state": "importing", "state_label": "排队中", "percent": 10, "final": False, "error": "",
        "total_rows": 4, "entered_count": 0, "failed_count": 1,
    }  # fmt: skip
    assert job.run_batch(batch.pk) == ImportBatchStatus.IMPORTED
    data = project_client.get(url("import_status", batch)).json()
    assert (data["state"], data["final"], data["percent"], data["entered_count"]) == (
        "imported",
        True,
        100,
        3,
    )
    assert "js/exports.js" not in project_client.get(url("import_detail", batch)).content.decode()


def test_another_projects_batch_status_is_a_404(client, other_user, batch):
    client.force_login(other_user)
    assert client.get(url("import_status", batch)).status_code == 404


def test_a_fault_mid_commit_writes_nothing_and_fails_the_batch_with_a_reason(
    project_client, batch, as_job, monkeypatch
):
    enter = commit_module.enter_persons

    def enter_then_fail(*args, **kwargs):
        enter(*args, **kwargs)  # the entries are written, then the disk fills
        raise RuntimeError("disk full")

    monkeypatch.setattr(commit_module, "enter_persons", enter_then_fail)
    response = project_client.post(url("import_commit", batch), follow=True)
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.FAILED and batch.error == job.FAILED_GENERIC
    assert not RosterEntry.objects.exists() and batch.entered_count == 0
    assert not AuditLog.objects.filter(action="roster.import").exists()
    page = response.content.decode()
    assert f"导入失败：{job.FAILED_GENERIC}" in page and 'data-testid="commit"' in page
    monkeypatch.undo()
    project_client.post(url("import_commit", batch))  # the failed batch may be imported again
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.IMPORTED and len(roster()) == 3 and batch.error == ""


def test_a_double_submit_and_a_job_run_twice_commit_once(project_client, batch, as_job, held):
    project_client.post(url("import_commit", batch))
    response = project_client.post(url("import_commit", batch), follow=True)
    assert "该批次导入中，不能再次操作。" in response.content.decode() and held == [batch.pk]
    assert job.run_batch(batch.pk) == ImportBatchStatus.IMPORTED
    assert job.run_batch(batch.pk) == "skipped"
    assert len(roster()) == 3 and AuditLog.objects.filter(action="roster.import").count() == 1


def test_the_job_checks_the_callers_right_again(project_client, project_user, batch, as_job, held):
    project_client.post(url("import_commit", batch))
    project_user.is_active = False
    project_user.save()
    assert job.run_batch(batch.pk) == ImportBatchStatus.FAILED
    batch.refresh_from_db()
    assert batch.error == job.FAILED_NO_ACCESS and not RosterEntry.objects.exists()


def test_warnings_are_confirmed_before_queueing_and_again_when_the_job_runs(
    project_client, batch, site, as_job, held
):
    person = site.persons["李建国"]
    person.id_valid_to = datetime.date(2026, 1, 1)
    person.save()
    project_client.post(url("import_commit", batch))  # the preview had no warning: queued
    assert job.run_batch(batch.pk) == ImportBatchStatus.FAILED
    batch.refresh_from_db()
    assert batch.error.startswith("有1行需要确认的提醒") and not RosterEntry.objects.exists()
    batch.report[0]["status"] = "warning"  # as a new preview of the file would say now
    batch.save()
    response = project_client.post(url("import_commit", batch), follow=True)
    assert "有1行需要确认的提醒" in response.content.decode() and len(held) == 1
    project_client.post(url("import_commit", batch), {"confirm_warnings": "1"})
    assert job.run_batch(batch.pk) == ImportBatchStatus.IMPORTED and len(roster()) == 3


def test_a_job_that_cannot_be_queued_fails_the_batch_at_once(project_client, batch, as_job, monkeypatch):
    def refuse(batch_id):
        raise ConnectionError("database gone")

    monkeypatch.setattr(job, "run_import", SimpleNamespace(enqueue=refuse))
    response = project_client.post(url("import_commit", batch), follow=True)
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.FAILED and batch.error == job.FAILED_QUEUE
    assert job.FAILED_QUEUE in response.content.decode()


def stalled(batch, user, attempts: int) -> None:
    """A worker claimed the batch and was killed: 导入中, a heartbeat older than the stall time."""
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatchStatus.IMPORTING,
        committed_by=user,
        started_at=timezone.now() - datetime.timedelta(hours=2),
        heartbeat_at=timezone.now() - datetime.timedelta(hours=2),
        attempts=attempts,
    )


def test_a_killed_worker_is_queued_again_by_purge_exports(project_user, batch, settings):
    stalled(batch, project_user, attempts=1)
    ImportBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=settings.IMPORT_STALL_SECONDS - 60)
    )
    call_command("purge_exports", stdout=open("/dev/null", "w"))  # noqa: SIM115
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.IMPORTING  # within the stall time: still its worker's
    stalled(batch, project_user, attempts=1)
    call_command("purge_exports", stdout=open("/dev/null", "w"))  # noqa: SIM115
    batch.refresh_from_db()
    assert (batch.status, batch.error, batch.attempts, len(roster())) == (
        ImportBatchStatus.IMPORTED,
        "",
        2,
        3,
    )


def test_a_killed_worker_after_the_last_attempt_fails_the_batch_when_polled(
    project_client, project_user, batch, settings
):
    stalled(batch, project_user, attempts=settings.IMPORT_MAX_ATTEMPTS)
    data = project_client.get(url("import_status", batch)).json()
    assert (data["state"], data["final"], data["error"]) == ("failed", True, job.FAILED_INTERRUPTED)
    assert not RosterEntry.objects.exists()


def test_a_killed_import_is_queued_again_within_two_minutes_while_a_long_commit_is_left_alone(
    project_user, batch
):
    from jmzhgd.jobs import stall
    from jmzhgd.jobs.models import WorkerHeartbeat

    stalled(batch, project_user, attempts=1)
    ImportBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=2, seconds=5)
    )
    now = timezone.now()
    beat = WorkerHeartbeat.objects.create(  # its worker still names it: a long commit, not a dead worker
        worker_id="w",
        host="h",
        pid=1,
        started_at=now,
        seen_at=now,
        job=stall.job_label(ImportBatch, batch.pk),
    )
    assert stall.recover_all()["workforce:import"] == 0
    WorkerHeartbeat.objects.filter(pk=beat.pk).update(seen_at=now - datetime.timedelta(minutes=2))  # it died
    assert stall.recover_all()["workforce:import"] == 1  # what every live worker runs once a minute
    batch.refresh_from_db()
    assert (batch.status, batch.attempts, len(roster())) == (ImportBatchStatus.IMPORTED, 2, 3)
