"""考勤设备 pages (docs/requirements.md §8): serial number, vendor, direction, last seen; the project adds, edits and
deactivates devices; supervisors read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from attendance.models import Device
from jmzhgd.core.models import AuditLog
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_project_registers_a_device(project_client, project):
    response = project_client.post(
        reverse("attendance:device_create", args=[project.pk]),
        {
            "serial_number": " JM-GATE-09 ",
            "vendor": "某厂商",
            "name": "1号闸机",
            "direction": "01",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    device = Device.objects.get()
    assert device.project == project and device.serial_number == "JM-GATE-09" and device.direction == "01"
    assert AuditLog.objects.filter(action="device.create", project=project).exists()
    listing = project_client.get(reverse("attendance:device_list", args=[project.pk])).content.decode()
    assert "JM-GATE-09" in listing and "某厂商" in listing and "从未在线" in listing


def test_a_serial_number_already_registered_anywhere_is_refused(project_client, project, other_project):
    factories.DeviceFactory(project=other_project, serial_number="TAKEN-1")
    response = project_client.post(
        reverse("attendance:device_create", args=[project.pk]),
        {"serial_number": "TAKEN-1", "is_active": "on"},
    )
    assert response.status_code == 200 and "该设备序列号已登记" in response.content.decode()
    assert Device.objects.count() == 1


def test_a_serial_number_with_odd_characters_is_refused(project_client, project):
    response = project_client.post(
        reverse("attendance:device_create", args=[project.pk]), {"serial_number": "SN 1/2", "is_active": "on"}
    )
    assert "只能包含字母、数字" in response.content.decode()
    assert not Device.objects.exists()


def test_the_project_edits_a_device_but_not_its_serial_number(project_client, project):
    device = factories.DeviceFactory(project=project, serial_number="KEEP-1")
    response = project_client.post(
        reverse("attendance:device_edit", args=[project.pk, device.pk]),
        {"serial_number": "CHANGED", "vendor": "新厂商", "direction": "02", "is_active": "on"},
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.serial_number == "KEEP-1" and device.vendor == "新厂商" and device.direction == "02"


def test_the_project_deactivates_a_device(project_client, project):
    device = factories.DeviceFactory(project=project)
    listing = project_client.get(reverse("attendance:device_list", args=[project.pk])).content.decode()
    assert 'data-confirm="确定停用设备' in listing
    project_client.post(reverse("attendance:device_deactivate", args=[project.pk, device.pk]))
    device.refresh_from_db()
    assert not device.is_active
    assert AuditLog.objects.filter(action="device.deactivate").exists()


def test_a_supervisor_reads_the_devices_but_cannot_add_one(supervisor_client, project):
    factories.DeviceFactory(project=project, serial_number="SEEN-1")
    listing = supervisor_client.get(reverse("attendance:device_list", args=[project.pk])).content.decode()
    assert "SEEN-1" in listing and "添加设备" not in listing
    response = supervisor_client.post(
        reverse("attendance:device_create", args=[project.pk]), {"serial_number": "X1", "is_active": "on"}
    )
    assert response.status_code == 403 and Device.objects.count() == 1


def test_the_device_list_filters_by_search(project_client, project):
    factories.DeviceFactory(project=project, serial_number="ALPHA-1")
    factories.DeviceFactory(project=project, serial_number="BETA-2")
    listing = project_client.get(
        reverse("attendance:device_list", args=[project.pk]), {"q": "alpha"}
    ).content.decode()
    assert "ALPHA-1" in listing and "BETA-2" not in listing
