"""The province sync as a job (docs/jobs.md): one pass over every project, safe to repeat and to run
beside another runner. Tests run jobs with the immediate backend (settings_test)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from exchange import services
from exchange.models import OutboundRecord, RecordStatus
from exchange.tasks import sync_province_pass
from tests.exchange.fake_province import connect, site

pytestmark = pytest.mark.django_db


def statuses(project):
    return set(OutboundRecord.objects.filter(project=project).values_list("status", flat=True))


def test_the_job_runs_one_pass_for_every_project(project, other_project, province):
    site(project, workers=1, punches=False, contract=False)
    site(other_project, workers=1, punches=False, contract=False)
    connect(province, other_project)  # each project under its own appid and secret
    result = sync_province_pass.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert statuses(project) == statuses(other_project) == {RecordStatus.ACCEPTED}
    assert result.return_value["accepted"] == OutboundRecord.objects.count()
    assert {d["projectCode"] for m, d in province.received if m == "Project.Add"} == {
        project.code,
        other_project.code,
    }


def test_a_second_job_sends_nothing_again(project, province):
    site(project, workers=1, punches=False, contract=False)
    sync_province_pass.enqueue()
    count = len(province.received)
    result = sync_province_pass.enqueue()
    assert (result.return_value["queued"], result.return_value["sent"]) == (0, 0)
    assert len(province.received) == count


def test_the_job_leaves_records_another_runner_is_sending(project, province):
    site(project, workers=1, punches=False, contract=False)
    services.enqueue_changes(project)
    OutboundRecord.objects.filter(project=project).update(
        status=RecordStatus.SENDING, claimed_at=timezone.now()
    )
    result = sync_province_pass.enqueue()
    assert result.return_value["sent"] == 0
    assert province.received == []
    assert statuses(project) == {RecordStatus.SENDING}


def test_the_job_does_nothing_while_sync_is_off(project, settings):
    settings.PROVINCE_SYNC_ENABLED = False
    site(project, workers=1, punches=False, contract=False)
    result = sync_province_pass.enqueue()
    assert result.return_value == {"enabled": False}
    assert not OutboundRecord.objects.exists()


def test_the_command_can_hand_the_pass_to_the_job_engine(project, province, capsys):
    site(project, workers=1, punches=False, contract=False)
    call_command("sync_province", "--enqueue")
    assert "已加入后台任务队列" in capsys.readouterr().out
    assert statuses(project) == {RecordStatus.ACCEPTED}


def test_the_command_refuses_enqueue_for_one_project(project, province):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不能与 --project 同时使用"):
        call_command("sync_province", "--enqueue", "--project", str(project.pk))
    assert not OutboundRecord.objects.exists()
