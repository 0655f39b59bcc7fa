"""A credential of project A can neither read nor write project B (docs/requirements.md §1, §10): every endpoint
answers 404 JSON for B, exactly as for a project that does not exist, and writes nothing."""

from __future__ import annotations

import pytest

from attendance.models import Device, Punch
from jmzhgd.core.models import AuditLog
from tests import factories
from workforce.models import Person

from .conftest import error_of

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"


def endpoints(project_id, person_id=1, device_sn="SN"):
    base = f"/api/v1/projects/{project_id}"
    return [
        ("POST", f"{base}/persons", {"workerName": "张三", "idCardNumber": ID}),
        ("GET", f"{base}/roster", None),
        ("GET", f"{base}/persons/{person_id}/photo", None),
        (
            "POST",
            f"{base}/punches",
            {"records": [{"idCardNumber": ID, "time": "2026-03-20 08:00:00", "direction": "01"}]},
        ),
        ("POST", f"{base}/devices/{device_sn}/heartbeat", None),
    ]


@pytest.fixture
def b_world(other_project):
    """Project B's device and a worker on B's roster with a photo."""
    device = factories.DeviceFactory(project=other_project, serial_number="B-GATE")
    entry = factories.RosterEntryFactory(
        team=factories.TeamFactory(unit=factories.UnitFactory(project=other_project))
    )
    from django.core.files.base import ContentFile

    entry.person.photo.save("face.jpg", ContentFile(b"x"))
    return device, entry


@pytest.mark.parametrize("index", range(5))
def test_a_credential_of_project_a_cannot_reach_project_b(signed, other_project, b_world, index):
    device, entry = b_world
    method, path, payload = endpoints(other_project.pk, entry.person.pk, device.serial_number)[index]
    persons, punches = Person.objects.count(), Punch.objects.count()
    response = signed.request(method, path, payload)
    assert response.status_code == 404, response.content
    assert error_of(response) == {
        "code": "not_found",
        "message": "项目不存在或未授权给该接口凭证。",
        "field": "project_id",
    }
    assert Person.objects.count() == persons and Punch.objects.count() == punches
    assert Device.objects.get(pk=device.pk).last_seen_at is None
    assert (
        not AuditLog.objects.filter(project=other_project)
        .exclude(action__startswith="api_credential")
        .exists()
    )


@pytest.mark.parametrize("index", range(5))
def test_a_project_that_does_not_exist_answers_the_same(signed, index):
    method, path, payload = endpoints(999999)[index]
    response = signed.request(method, path, payload)
    assert response.status_code == 404 and error_of(response)["field"] == "project_id"


def test_project_bs_device_serial_under_project_as_id_is_unknown(signed, project, b_world):
    device, _entry = b_world
    response = signed.post(f"/api/v1/projects/{project.pk}/devices/{device.serial_number}/heartbeat")
    assert response.status_code == 404 and error_of(response)["field"] == "deviceSn"
    device.refresh_from_db()
    assert device.last_seen_at is None


def test_project_bs_credential_works_on_project_b(other_signed, other_project, b_world):
    device, entry = b_world
    for method, path, payload in endpoints(other_project.pk, entry.person.pk, device.serial_number):
        response = other_signed.request(method, path, payload)
        assert response.status_code == 200, (path, response.content)
