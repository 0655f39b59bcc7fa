"""考勤设备 actions (docs/requirements.md §8): register, edit and deactivate a project's devices, audited.

A device is never deleted: its punches refer to it. Deactivating refuses its uploads and heartbeats.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jmzhgd.core import audit, rawsql
from jmzhgd.core.actor import Actor

from .models import Device

DEVICE_FIELDS = ["serial_number", "vendor", "name", "direction", "location", "is_active"]
SERIAL_TAKEN = "该设备序列号已登记（可能在其他项目）。如设备已转移到本项目，请联系监管方处理。"


def device_for_upload(project_id: int, serial_number: str) -> Device | None:
    """The project's device with this serial number, with what an upload needs (one plain
    statement: this runs for every batch a device sends)."""
    connection = rawsql.connection_for(Device)
    project, serial = rawsql.columns(connection, Device, "project", "serial_number")
    return rawsql.fetch_one(
        Device,
        ("id", "project", "serial_number", "name", "is_active", "last_seen_at"),
        f"{project} = %s AND {serial} = %s",
        [project_id, serial_number],
    )


def _save(device: Device) -> None:
    try:
        with transaction.atomic():
            device.save()
    except IntegrityError:
        raise ValidationError({"serial_number": SERIAL_TAKEN}) from None


@transaction.atomic
def register_device(actor: Actor, project, data: dict) -> Device:
    device = Device(project=project, **{k: v for k, v in data.items() if k in DEVICE_FIELDS})
    device.serial_number = device.serial_number.strip()
    if Device.objects.filter(serial_number=device.serial_number).exists():
        raise ValidationError({"serial_number": SERIAL_TAKEN})
    _save(device)
    audit.record(
        actor,
        "device.create",
        device,
        project=project,
        summary=f"登记考勤设备 {device.serial_number}",
        after=audit.snapshot(device, DEVICE_FIELDS),
    )
    return device


@transaction.atomic
def update_device(actor: Actor, device: Device, data: dict) -> Device:
    # Work on the stored row: a ModelForm has already copied its input onto the instance it was given.
    device = Device.objects.select_for_update().get(pk=device.pk)
    before = audit.snapshot(device, DEVICE_FIELDS)
    for key, value in data.items():
        if key in DEVICE_FIELDS:
            setattr(device, key, value.strip() if isinstance(value, str) else value)
    if Device.objects.filter(serial_number=device.serial_number).exclude(pk=device.pk).exists():
        raise ValidationError({"serial_number": SERIAL_TAKEN})
    old, new = audit.changed(before, audit.snapshot(device, DEVICE_FIELDS))
    if new:
        _save(device)
        audit.record(
            actor,
            "device.update",
            device,
            project=device.project,
            summary=f"修改考勤设备 {device}",
            before=old,
            after=new,
        )
    return device


@transaction.atomic
def deactivate_device(actor: Actor, device: Device) -> Device:
    device = Device.objects.select_for_update().get(pk=device.pk)
    if not device.is_active:
        raise ValidationError("该设备已停用。")
    device.is_active = False
    device.save(update_fields=["is_active"])
    audit.record(
        actor,
        "device.deactivate",
        device,
        project=device.project,
        summary=f"停用考勤设备 {device}",
        before={"is_active": True},
        after={"is_active": False},
    )
    return device
