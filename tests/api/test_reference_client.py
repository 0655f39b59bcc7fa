"""The reference client (clients/jmzhgd_client.py) against a live server: what a vendor would run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from attendance.models import Punch
from clients.jmzhgd_client import ApiError, PlatformClient
from jmzhgd.api import services
from jmzhgd.core.actor import Actor
from jmzhgd.core.models import WorkType
from tests import factories
from workforce.models import Person, RosterEntry

from .test_persons import jpeg_b64

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_reference_client_uploads_a_person_and_a_batch_of_punches(live_server, project, team):
    device = factories.DeviceFactory(project=project, serial_number="LIVE-GATE-1")
    credential, secret = services.create_credential(Actor.system(), name="参考客户端", projects=[project])
    client = PlatformClient(live_server.url, app_key=credential.app_key, app_secret=secret)
    number = factories.id_number()

    person = client.upload_person(
        project.pk,
        {
            "workerName": "陈小明",
            "idCardNumber": number,
            "headImage": jpeg_b64(),
            "entry": {
                "teamId": team.pk,
                "workType": WorkType.objects.first().code,
                "entryDate": "2026-03-05",
            },
        },
    )
    assert person["created"] is True and person["rosterEntryId"]
    assert RosterEntry.objects.get().person == Person.objects.get(pk=person["personId"])

    day = timezone.localdate() - timedelta(days=1)
    records = [
        {
            "recordId": f"r{i}",
            "idCardNumber": number,
            "time": f"{day} {7 + i:02d}:00:00",
            "direction": "01" if i % 2 == 0 else "02",
        }
        for i in range(6)
    ]
    result = client.upload_punches(project.pk, records, device_sn=device.serial_number)
    assert result["created"] == 6 and result["error"] == 0
    again = client.upload_punches(project.pk, records, device_sn=device.serial_number)
    assert again["duplicate"] == 6 and Punch.objects.count() == 6

    roster = client.roster(project.pk)
    assert roster["total"] == 1 and roster["items"][0]["idCardNumber"] == number
    photo = client.person_photo(project.pk, person["personId"])
    assert photo[:2] == b"\xff\xd8"
    assert client.heartbeat(project.pk, device.serial_number)["deviceSn"] == device.serial_number


def test_the_reference_client_reports_errors_with_code_message_and_field(live_server, project, other_project):
    credential, secret = services.create_credential(Actor.system(), name="参考客户端", projects=[project])
    client = PlatformClient(live_server.url, app_key=credential.app_key, app_secret=secret)
    with pytest.raises(ApiError) as refused:
        client.roster(other_project.pk)
    assert refused.value.status == 404 and refused.value.field == "project_id"
    with pytest.raises(ApiError) as bad:
        client.upload_person(project.pk, {"workerName": "张三", "idCardNumber": "123"})
    assert bad.value.status == 422 and bad.value.field == "idCardNumber" and bad.value.message


def test_the_collection_app_logs_in_and_uploads_with_its_token(live_server, project, project_user):
    client = PlatformClient(live_server.url)
    client.login(project_user.username, factories.TEST_PASSWORD)
    result = client.upload_person(project.pk, {"workerName": "林一", "idCardNumber": factories.id_number()})
    assert result["created"] is True


def test_simulate_devices_sends_the_rosters_punches_and_a_second_run_stores_nothing_new(
    live_server, project, team
):
    from io import StringIO

    from django.core.management import call_command

    for _ in range(3):
        factories.RosterEntryFactory(team=team)
    device = factories.DeviceFactory(project=project, serial_number="SIM-GATE-1")
    credential, secret = services.create_credential(Actor.system(), name="模拟设备", projects=[project])
    args = [
        "simulate_devices",
        f"--url={live_server.url}",
        f"--project={project.pk}",
        f"--app-key={credential.app_key}",
        f"--app-secret={secret}",
        "--days=3",
        "--batch-size=4",
        "--anomalies=2",
        f"--device-sn={device.serial_number}",
    ]
    out = StringIO()
    call_command(*args, stdout=out)
    stored = Punch.objects.count()
    # Three workers, two earlier days in full (in and out), today as far as the clock allows, two strangers.
    assert stored >= 3 * 2 * 2 + 2
    assert Punch.objects.filter(is_anomaly=True).count() == 2
    assert "错误 0" in out.getvalue()
    device.refresh_from_db()
    assert device.last_seen_at is not None

    again = StringIO()
    call_command(*[a for a in args if not a.startswith("--anomalies")], stdout=again)
    assert Punch.objects.count() == stored
    assert "新增 0" in again.getvalue() and "错误 0" in again.getvalue()
