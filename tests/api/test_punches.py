"""Punch batches (docs/requirements.md §8, §10): per-item results, idempotent resends, anomalies kept, bad input refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from attendance.models import DailySummary, Device, Punch
from attendance.summaries import SHANGHAI
from jmzhgd.core.models import AuditLog
from tests import factories

from .conftest import error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(project):
    return factories.DeviceFactory(project=project, serial_number="JM-GATE-01")


@pytest.fixture
def worker(team):
    return factories.RosterEntryFactory(team=team, entry_date=date(2026, 3, 3))


def url(project):
    return f"/api/v1/projects/{project.pk}/punches"


def local(day: date, hour: int, minute: int = 0) -> str:
    return f"{day:%Y-%m-%d} {hour:02d}:{minute:02d}:00"


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def test_a_punch_of_a_worker_on_the_roster_is_stored_matched_and_summarised(signed, project, device, worker):
    day = yesterday()
    records = [
        {
            "recordId": "1",
            "idCardNumber": worker.person.id_number,
            "time": local(day, 7, 58),
            "direction": "01",
        },
        {
            "recordId": "2",
            "idCardNumber": worker.person.id_number,
            "time": local(day, 17, 30),
            "direction": "02",
        },
    ]
    response = signed.post(url(project), {"deviceSn": device.serial_number, "records": records})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["created"] == 2 and data["error"] == 0
    assert [r["status"] for r in data["results"]] == ["created", "created"]
    punch = Punch.objects.get(record_id="1")
    assert punch.person == worker.person and punch.roster_entry == worker and not punch.is_anomaly
    assert punch.device == device and punch.source == "device" and punch.work_date == day
    assert punch.punched_at == datetime(day.year, day.month, day.day, 7, 58, tzinfo=SHANGHAI)
    summary = DailySummary.objects.get(person=worker.person, work_date=day)
    assert summary.punch_count == 2 and summary.hours > 9 and summary.is_present
    device.refresh_from_db()
    assert device.last_seen_at is not None


def test_a_resent_batch_stores_nothing_new_and_answers_duplicate(signed, project, device, worker):
    day = yesterday()
    batch = {
        "deviceSn": device.serial_number,
        "records": [
            {
                "recordId": "1",
                "idCardNumber": worker.person.id_number,
                "time": local(day, 8),
                "direction": "01",
            },
            {"idCardNumber": "11010519491231002X", "time": local(day, 8), "direction": "01"},
        ],
    }
    first = signed.post(url(project), batch).json()
    assert [r["status"] for r in first["results"]] == ["created", "anomaly"]
    count, summaries = Punch.objects.count(), list(DailySummary.objects.values())
    again = signed.post(url(project), batch)
    assert again.status_code == 200
    assert [r["status"] for r in again.json()["results"]] == ["duplicate", "duplicate"]
    assert Punch.objects.count() == count
    assert list(DailySummary.objects.values()) == summaries


def test_the_same_punch_without_record_id_is_a_duplicate_by_person_time_and_direction(
    signed, project, worker
):
    record = {"idCardNumber": worker.person.id_number, "time": local(yesterday(), 9), "direction": "01"}
    data = signed.post(
        url(project), {"records": [record, dict(record), {**record, "direction": "02"}]}
    ).json()
    assert [r["status"] for r in data["results"]] == ["created", "duplicate", "created"]
    assert Punch.objects.count() == 2


def test_a_record_id_seen_before_on_the_device_is_a_duplicate_even_with_other_data(
    signed, project, device, worker
):
    first = {
        "recordId": "77",
        "idCardNumber": worker.person.id_number,
        "time": local(yesterday(), 9),
        "direction": "01",
    }
    signed.post(url(project), {"deviceSn": device.serial_number, "records": [first]})
    other = {**first, "time": local(yesterday(), 10)}
    data = signed.post(url(project), {"deviceSn": device.serial_number, "records": [other]}).json()
    assert data["results"][0]["status"] == "duplicate"
    assert Punch.objects.count() == 1


def test_a_punch_for_nobody_on_the_roster_is_kept_as_an_anomaly(signed, project):
    stranger = factories.PersonFactory()
    unknown = "11010519491231002X"
    records = [
        {
            "idCardNumber": stranger.id_number,
            "name": stranger.name,
            "time": local(yesterday(), 8),
            "direction": "01",
        },
        {"idCardNumber": unknown, "name": "无名", "time": local(yesterday(), 8), "direction": "01"},
    ]
    data = signed.post(url(project), {"records": records}).json()
    assert [r["status"] for r in data["results"]] == ["anomaly", "anomaly"]
    stored = Punch.objects.get(person=stranger)
    assert stored.is_anomaly and stored.anomaly_status == "open" and "花名册" in stored.anomaly_reason
    nobody = Punch.objects.get(person__isnull=True)
    assert (
        nobody.is_anomaly and nobody.id_number_masked.endswith("002X") and "人员库" in nobody.anomaly_reason
    )
    assert not DailySummary.objects.exists()


def test_a_punch_after_the_worker_exited_is_an_anomaly(signed, project, team):
    exited = factories.RosterEntryFactory(team=team, entry_date=date(2026, 3, 3), exit_date=date(2026, 3, 10))
    record = {"idCardNumber": exited.person.id_number, "time": "2026-03-11 08:00:00", "direction": "01"}
    assert signed.post(url(project), {"records": [record]}).json()["results"][0]["status"] == "anomaly"
    during = {**record, "time": "2026-03-10 08:00:00"}
    assert signed.post(url(project), {"records": [during]}).json()["results"][0]["status"] == "created"


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"time": "明天"}, "bad_time", "time"),
        ({"direction": "03"}, "bad_direction", "direction"),
        ({"attendType": "999"}, "bad_attend_type", "attendType"),
        ({"idCardNumber": "110105194912310021"}, "bad_id_number", "idCardNumber"),
        ({"idCardType": "99"}, "bad_id_type", "idCardType"),
        ({"image": "not base64!"}, "bad_image", "image"),
        ({"lat": 123.0}, "bad_lat", "lat"),
    ],
)
def test_a_bad_item_gets_an_error_result_naming_its_field_and_is_not_stored(
    signed, project, worker, change, code, field
):
    good = {"idCardNumber": worker.person.id_number, "time": local(yesterday(), 8), "direction": "01"}
    bad = {**good, "time": local(yesterday(), 9), **change}
    data = signed.post(url(project), {"records": [good, bad]}).json()
    assert data["results"][0]["status"] == "created"
    assert data["results"][1] == {
        "index": 1,
        "status": "error",
        "code": code,
        "message": data["results"][1]["message"],
        "field": field,
    }
    assert data["results"][1]["message"]
    assert Punch.objects.count() == 1


def test_a_time_more_than_a_few_minutes_in_the_future_is_refused(signed, project, worker):
    soon = timezone.localtime() + timedelta(minutes=2)
    later = timezone.localtime() + timedelta(minutes=10)
    records = [
        {
            "idCardNumber": worker.person.id_number,
            "time": soon.strftime("%Y-%m-%d %H:%M:%S"),
            "direction": "01",
        },
        {
            "idCardNumber": worker.person.id_number,
            "time": later.strftime("%Y-%m-%d %H:%M:%S"),
            "direction": "02",
        },
    ]
    data = signed.post(url(project), {"records": records}).json()
    assert [r["status"] for r in data["results"]] == ["created", "error"]
    assert data["results"][1]["code"] == "future_time"


def test_an_iso_time_with_an_offset_is_understood(signed, project, worker):
    record = {"idCardNumber": worker.person.id_number, "time": "2026-03-20T00:30:00+00:00", "direction": "01"}
    assert signed.post(url(project), {"records": [record]}).json()["created"] == 1
    assert Punch.objects.get().work_date == date(2026, 3, 20)


def test_a_batch_of_more_than_500_is_refused_and_writes_nothing(signed, project, worker):
    record = {"idCardNumber": worker.person.id_number, "time": local(yesterday(), 8), "direction": "01"}
    response = signed.post(url(project), {"records": [record] * 501})
    assert response.status_code == 413
    assert error_of(response) == {
        "code": "batch_too_large",
        "message": "每批最多 500 条考勤记录。",
        "field": "records",
    }
    assert not Punch.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "records"),
        ({"records": []}, "records"),
        ({"records": [{"time": "2026-03-20 08:00:00", "direction": "01"}]}, "records.0.idCardNumber"),
        ({"records": "x"}, "records"),
        ({"records": [{"idCardNumber": "1", "time": "x", "direction": "01", "lat": "北"}]}, "records.0.lat"),
    ],
)
def test_a_malformed_batch_answers_422_naming_the_field_and_writes_nothing(signed, project, payload, field):
    response = signed.post(url(project), payload)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid" and error["field"] == field
    assert not Punch.objects.exists() and not AuditLog.objects.filter(action="punch.ingest").exists()


def test_a_body_that_is_not_json_answers_422(signed, project):
    response = signed.request("POST", url(project), body=b"{not json")
    assert response.status_code in (400, 422)
    assert error_of(response)["code"] in ("bad_json", "invalid")


def test_an_unknown_or_inactive_device_is_refused_and_nothing_is_written(
    signed, project, other_project, worker
):
    factories.DeviceFactory(project=other_project, serial_number="B-GATE")
    factories.DeviceFactory(project=project, serial_number="OFF-GATE", is_active=False)
    record = {"idCardNumber": worker.person.id_number, "time": local(yesterday(), 8), "direction": "01"}
    unknown = signed.post(url(project), {"deviceSn": "B-GATE", "records": [record]})
    assert unknown.status_code == 404 and error_of(unknown)["field"] == "deviceSn"
    inactive = signed.post(url(project), {"deviceSn": "OFF-GATE", "records": [record]})
    assert inactive.status_code == 403 and error_of(inactive)["code"] == "device_inactive"
    assert not Punch.objects.exists()


def test_one_audit_row_is_written_per_batch(signed, project, worker):
    records = [
        {"idCardNumber": worker.person.id_number, "time": local(yesterday(), h), "direction": "01"}
        for h in range(6, 12)
    ]
    signed.post(url(project), {"records": records})
    rows = AuditLog.objects.filter(action="punch.ingest")
    assert rows.count() == 1
    assert "新增 6" in rows.get().summary and rows.get().project == project


def test_heartbeat_updates_last_seen(signed, project, device):
    response = signed.post(f"/api/v1/projects/{project.pk}/devices/{device.serial_number}/heartbeat")
    assert response.status_code == 200, response.content
    assert response.json()["deviceSn"] == device.serial_number
    device.refresh_from_db()
    assert device.last_seen_at is not None


def test_heartbeat_of_an_unknown_device_answers_404_json(signed, project):
    response = signed.post(f"/api/v1/projects/{project.pk}/devices/NOPE/heartbeat")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    assert not Device.objects.exists()


def test_record_ids_without_a_device_do_not_collide_between_clients(
    client, signed, project, other_project, worker
):
    from .conftest import make_signed

    elsewhere = factories.RosterEntryFactory(
        team=factories.TeamFactory(unit=factories.UnitFactory(project=other_project))
    )
    other = make_signed(client, other_project)
    mine = {
        "recordId": "1",
        "idCardNumber": worker.person.id_number,
        "time": local(yesterday(), 8),
        "direction": "01",
    }
    theirs = {**mine, "idCardNumber": elsewhere.person.id_number}
    assert signed.post(url(project), {"records": [mine]}).json()["created"] == 1
    assert other.post(url(other_project), {"records": [theirs]}).json()["created"] == 1
    assert Punch.objects.count() == 2


def test_the_batch_answer_is_the_json_of_every_result_with_its_answer_escaped():
    # The answers are encoded once and reused; what a client reads must be exactly the results.
    import json
    from dataclasses import asdict

    from attendance.api import batch_json
    from attendance.ingest import BatchOutcome, ItemResult

    results = [
        ItemResult(0, "created", "created", "已保存。"),
        ItemResult(1, "error", "bad_id_type", '证件类型“"\\\n”不在代码表中。', "idCardType"),
        ItemResult(2, "created", "created", "已保存。"),
        ItemResult(3, "duplicate", "duplicate", "重复上传，已存在，无需重发。"),
    ]
    outcome = BatchOutcome(results=results)
    assert json.loads(batch_json(outcome)) == {
        **outcome.summary,
        "results": [asdict(result) for result in results],
    }
    assert json.loads(batch_json(BatchOutcome(results=[]))) == {
        "created": 0,
        "duplicate": 0,
        "anomaly": 0,
        "error": 0,
        "results": [],
    }


def test_the_items_handed_to_the_ingest_are_exactly_what_validation_produced():
    # upload_punches passes each validated item's __dict__ rather than a model_dump() copy; that is
    # only right while PunchIn has plain fields (no aliases, nested models or computed fields).
    from attendance.api import PunchBatchIn

    item = {
        "recordId": "R-1",
        "idCardType": "01",
        "idCardNumber": "11010519491231002X",
        "name": "张三",
        "time": "2026-11-02 08:00:00",
        "direction": "01",
        "attendType": "001",
        "image": None,
        "lat": 22.5,
        "lng": 113,
    }
    payload = PunchBatchIn.model_validate({"records": [item, {**item, "recordId": None}]})
    assert [validated.__dict__ for validated in payload.records] == payload.model_dump()["records"]
    assert payload.records[0].__dict__["lng"] == 113.0
