"""The whole path against the fake provincial platform: queue, sign, encrypt, send, poll, park, retry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from exchange import services
from exchange.models import OutboundRecord, RecordStatus
from tests import factories
from tests.exchange.fake_province import refusal, site

pytestmark = pytest.mark.django_db

ORDER = [
    "Corp.Upload",
    "Project.Add",
    "ProjectSubContractor.Add",
    "Team.Add",
    "ProjectWorker.Add",
    "WorkerEntryExit.Add",
]


def statuses(project):
    return dict(OutboundRecord.objects.filter(project=project).values_list("method", "status").distinct())


def test_a_project_is_accepted_by_the_province_in_the_standards_order(project, province, province_client):
    team, entries = site(project)
    report = services.sync_province(project=project, client=province_client)
    assert set(OutboundRecord.objects.filter(project=project).values_list("status", flat=True)) == {
        RecordStatus.ACCEPTED
    }
    assert report.accepted == OutboundRecord.objects.filter(project=project).count()
    methods = province.methods()
    first_seen = [methods.index(m) for m in ORDER]
    assert first_seen == sorted(first_seen)
    assert methods.index("WorkerAttendance.Add") > methods.index("ProjectWorker.Add")
    assert methods.index("WorkerContract.Add") > methods.index("ProjectWorker.Add")
    # The province decrypted the same ID numbers the roster holds (the AES round trip).
    sent = {
        w["idCardNumber"] for m, d in province.received if m == "ProjectWorker.Add" for w in d["workerList"]
    }
    assert sent == {e.person.id_number for e in entries}
    team_record = OutboundRecord.objects.get(project=project, method="Team.Add")
    assert team_record.result["teamSysNo"] in province.teams


def test_a_second_run_sends_nothing_again(project, province, province_client):
    site(project)
    services.sync_province(project=project, client=province_client)
    count = len(province.received)
    report = services.sync_province(project=project, client=province_client)
    assert (report.queued, report.sent) == (0, 0)
    assert len(province.received) == count


def test_a_change_after_acceptance_is_sent_again(project, province, province_client):
    team, _ = site(project, punches=False, contract=False)
    services.sync_province(project=project, client=province_client)
    team.remark = "新备注"
    team.save()
    services.sync_province(project=project, client=province_client)
    # The province holds the team: the edit goes as Team.Update, under the number it gave.
    assert [(m, d.get("remark")) for m, d in province.received if m.startswith("Team.")] == [
        ("Team.Add", None),
        ("Team.Update", "新备注"),
    ]
    record = OutboundRecord.objects.get(project=project, method="Team.Add")
    assert province.received[-1][1]["teamSysNo"] == record.result["teamSysNo"]
    assert record.status == RecordStatus.ACCEPTED


def test_a_refusal_is_parked_with_the_provinces_message(project, province, province_client):
    team, entries = site(project, punches=False, contract=False)
    later = timezone.localdate() + timedelta(days=3)  # the province refuses dates after today
    entries[0].person.id_valid_to = None
    entries[0].exit_date = later
    entries[0].save()
    services.sync_province(project=project, client=province_client)
    parked = OutboundRecord.objects.get(
        project=project, method="WorkerEntryExit.Add", object_key=f"0:{entries[0].pk}"
    )
    assert parked.status == RecordStatus.REFUSED
    assert parked.message == "[date]不能大于当天!"
    others = OutboundRecord.objects.filter(project=project).exclude(pk=parked.pk)
    assert set(others.values_list("status", flat=True)) == {RecordStatus.ACCEPTED}


def test_a_5xx_is_retried_with_backoff_and_then_accepted(project, province, province_client):
    site(project, workers=1, punches=False, contract=False)
    province.fail_next(1)
    now = timezone.now()
    services.sync_province(project=project, client=province_client, now=now)
    corp = OutboundRecord.objects.get(project=project, method="Corp.Upload")
    assert corp.status == RecordStatus.QUEUED and corp.attempts == 1
    assert corp.next_attempt_at == now + timedelta(seconds=60)
    assert "HTTP 503" in corp.message
    # Not before its time …
    services.sync_province(project=project, client=province_client, now=now + timedelta(seconds=30))
    assert OutboundRecord.objects.get(pk=corp.pk).status == RecordStatus.QUEUED
    # … then sent, and everything follows.
    services.sync_province(project=project, client=province_client, now=now + timedelta(seconds=61))
    assert set(OutboundRecord.objects.filter(project=project).values_list("status", flat=True)) == {
        RecordStatus.ACCEPTED
    }


def test_backoff_doubles_up_to_a_ceiling():
    assert [services.backoff(n, 60).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert services.backoff(30, 60) == services.MAX_BACKOFF


def test_a_worker_waits_for_his_team(project, province, province_client):
    site(project, workers=1, punches=False, contract=False)
    services.enqueue_changes(project)
    # Only the worker's turn by rank order is skipped: send the worker alone first.
    OutboundRecord.objects.filter(project=project).exclude(method="ProjectWorker.Add").update(
        status=RecordStatus.INVALID
    )
    services.send_ready(client=province_client, project=project)
    assert province.received == []
    assert (
        OutboundRecord.objects.get(project=project, method="ProjectWorker.Add").status == RecordStatus.QUEUED
    )


def test_the_province_refuses_a_worker_before_his_team(project, province, province_client):
    """The fake province enforces the order itself: a worker with a team it does not know."""
    team, entries = site(project, workers=1, punches=False, contract=False)
    from exchange.mapping import BY_METHOD, Context

    mapper = BY_METHOD["ProjectWorker.Add"]
    ctx = Context(cipher=province_client.cipher(), team_sys_no={team.pk: 99999})
    header, item = mapper.payload(entries[0], ctx)
    serial = province_client.submit(mapper.method, mapper.data(header, [item]))
    province_client.result(serial)  # 0 待处理 first
    assert refusal(province_client.result(serial)) == "[teamSysNo]值超出范围或无效!"


def test_a_worker_without_a_phone_is_refused_locally_and_never_sent(project, province, province_client):
    team, entries = site(project, workers=2, punches=False, contract=False)
    person = entries[0].person
    person.phone = ""
    person.save()
    report = services.sync_province(project=project, client=province_client)
    record = OutboundRecord.objects.get(
        project=project, method="ProjectWorker.Add", object_key=str(entries[0].pk)
    )
    assert record.status == RecordStatus.INVALID
    assert record.message == f"项目人员【{person.name}】缺少必填字段：手机号（cellPhone）"
    assert report.invalid >= 1
    sent = [
        w["workerName"] for m, d in province.received if m == "ProjectWorker.Add" for w in d["workerList"]
    ]
    assert sent == [entries[1].person.name]


def test_a_record_claimed_by_one_runner_is_not_sent_by_another(project, province, province_client):
    site(project, workers=1, punches=False, contract=False)
    services.enqueue_changes(project)
    OutboundRecord.objects.filter(project=project).update(
        status=RecordStatus.SENDING, claimed_at=timezone.now()
    )
    services.send_ready(client=province_client, project=project)
    assert province.received == []


def test_a_runner_that_died_mid_send_releases_its_claim_later(project, province, province_client):
    site(project, workers=1, punches=False, contract=False)
    services.enqueue_changes(project)
    stale = timezone.now() - services.STALE_CLAIM - timedelta(minutes=1)
    OutboundRecord.objects.filter(project=project).update(status=RecordStatus.SENDING, claimed_at=stale)
    services.sync_province(project=project, client=province_client)
    assert set(OutboundRecord.objects.filter(project=project).values_list("status", flat=True)) == {
        RecordStatus.ACCEPTED
    }


def test_another_projects_records_are_left_alone(project, other_project, province, province_client):
    site(project, workers=1, punches=False, contract=False)
    site(other_project, workers=1, punches=False, contract=False)
    services.enqueue_changes(other_project)
    services.sync_province(project=project, client=province_client)
    assert set(OutboundRecord.objects.filter(project=other_project).values_list("status", flat=True)) == {
        RecordStatus.QUEUED
    }
    assert {d.get("projectCode") for m, d in province.received if "projectCode" in d} == {project.code}


def test_the_command_does_nothing_while_sync_is_off(project, settings, capsys):
    from django.core.management import call_command

    settings.PROVINCE_SYNC_ENABLED = False
    factories.TeamFactory(unit__project=project)
    call_command("sync_province")
    assert "未启用" in capsys.readouterr().out
    assert not OutboundRecord.objects.exists()


def test_the_command_syncs_when_enabled(project, province, capsys):
    from django.core.management import call_command

    site(project, workers=1, punches=False, contract=False)
    call_command("sync_province", "--project", str(project.pk))
    assert "省平台接收" in capsys.readouterr().out
    assert "ProjectWorker.Add" in province.methods()
