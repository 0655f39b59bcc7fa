"""数据对接 page: counts, the table, 【重新推送】 (POST, audited), the JSON download, and scoping."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from exchange import services
from exchange.crypto import FieldCipher
from exchange.models import OutboundRecord, ProvinceCredential, RecordStatus
from jmzhgd.core.models import AuditLog
from tests import factories
from tests.exchange.fake_province import AES_KEY, site

pytestmark = pytest.mark.django_db


def refused(project):
    team = factories.TeamFactory(unit__project=project, name="混凝土班")
    services.enqueue_changes(project)
    record = OutboundRecord.objects.get(project=project, method="Team.Add", object_key=str(team.pk))
    record.status, record.message = RecordStatus.REFUSED, "[teamSysNo]值超出范围或无效!"
    record.save()
    return record


def test_the_page_counts_and_lists_the_records(project_client, project):
    record = refused(project)
    response = project_client.get(reverse("exchange:page", kwargs={"project_id": project.pk}))
    assert response.status_code == 200
    summary = {item["key"]: item["n"] for item in response.context["summary"]}
    assert summary["refused"] == 1
    assert (
        summary["queued"]
        == OutboundRecord.objects.filter(project=project, status=RecordStatus.QUEUED).count()
    )
    body = response.content.decode()
    assert "[teamSysNo]值超出范围或无效!" in body
    assert reverse("exchange:repush", kwargs={"project_id": project.pk, "record_id": record.pk}) in body
    assert 'data-confirm="确定重新推送该记录？"' in body


def test_a_supervisor_reads_the_page_without_the_repush_button(supervisor_client, project):
    refused(project)
    response = supervisor_client.get(reverse("exchange:page", kwargs={"project_id": project.pk}))
    assert response.status_code == 200
    assert "重新推送</button>" not in response.content.decode()


def test_repush_queues_the_record_again_and_is_audited(project_client, project):
    record = refused(project)
    url = reverse("exchange:repush", kwargs={"project_id": project.pk, "record_id": record.pk})
    response = project_client.post(url)
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.message, record.attempts) == (RecordStatus.QUEUED, "", 0)
    log = AuditLog.objects.get(action="exchange.repush")
    assert log.project_id == project.pk and log.before["message"] == "[teamSysNo]值超出范围或无效!"


def test_repush_of_a_record_that_was_not_refused_changes_nothing(project_client, project):
    factories.TeamFactory(unit__project=project)
    services.enqueue_changes(project)
    record = OutboundRecord.objects.filter(project=project, status=RecordStatus.QUEUED).first()
    url = reverse("exchange:repush", kwargs={"project_id": project.pk, "record_id": record.pk})
    response = project_client.post(url, follow=True)
    assert "只有被省平台退回的记录才能重新推送。" in response.content.decode()
    assert not AuditLog.objects.filter(action="exchange.repush").exists()


def test_repush_is_a_post(project_client, project):
    record = refused(project)
    url = reverse("exchange:repush", kwargs={"project_id": project.pk, "record_id": record.pk})
    assert project_client.get(url).status_code == 405
    record.refresh_from_db()
    assert record.status == RecordStatus.REFUSED


def test_another_projects_page_and_records_are_404(client, other_user, project):
    record = refused(project)
    client.force_login(other_user)
    assert client.get(reverse("exchange:page", kwargs={"project_id": project.pk})).status_code == 404
    # Its own project id with the first project's record: 404 too, and nothing changes.
    url = reverse("exchange:repush", kwargs={"project_id": other_user.project_id, "record_id": record.pk})
    assert client.post(url).status_code == 404
    record.refresh_from_db()
    assert record.status == RecordStatus.REFUSED


def test_the_export_is_the_standards_json_with_encrypted_numbers(supervisor_client, project, settings):
    # The manual-upload file needs the project's secret (its AES key), not the province's address.
    settings.PROVINCE_SYNC_ENABLED, settings.PROVINCE_AES_KEY = False, ""
    ProvinceCredential.objects.create(project=project, appid=project.code, secret=AES_KEY)
    team, entries = site(project, workers=1, punches=False, contract=False)
    services.enqueue_changes(project)
    response = supervisor_client.get(reverse("exchange:export", kwargs={"project_id": project.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="')
    document = json.loads(response.content)
    methods = [r["method"] for r in document["requests"]]
    assert methods.index("Team.Add") < methods.index("ProjectWorker.Add")
    worker = next(r["data"] for r in document["requests"] if r["method"] == "ProjectWorker.Add")
    number = worker["workerList"][0]["idCardNumber"]
    assert number != entries[0].person.id_number
    assert FieldCipher(AES_KEY).decrypt(number) == entries[0].person.id_number
    assert AuditLog.objects.filter(action="exchange.export", project=project).exists()


def test_the_export_without_credentials_explains_why(supervisor_client, project):
    response = supervisor_client.get(
        reverse("exchange:export", kwargs={"project_id": project.pk}), follow=True
    )
    assert "本项目尚未录入省平台对接凭据（appid 与密钥），无法生成对接文件。" in response.content.decode()


def test_the_file_with_phones_in_clear_is_for_supervisors_only(project_client, project, settings):
    """The standard requires cellPhone in the worker record and sends it in clear: the project
    account, which reads phones masked everywhere else, neither sees the button nor gets the file."""
    settings.PROVINCE_SYNC_ENABLED, settings.PROVINCE_AES_KEY = False, ""
    ProvinceCredential.objects.create(project=project, appid=project.code, secret=AES_KEY)
    site(project, workers=1, punches=False, contract=False)
    services.enqueue_changes(project)
    url = reverse("exchange:export", kwargs={"project_id": project.pk})
    assert project_client.get(url).status_code == 404
    page = project_client.get(reverse("exchange:page", kwargs={"project_id": project.pk})).content.decode()
    assert "exchange-export" not in page
    assert not AuditLog.objects.filter(action="exchange.export").exists()
