"""移动考勤 (docs/geofence.md): a phone punch inside the 电子围栏 counts like a device's; outside, or
with a poor accuracy, it waits as 异常考勤 for the project to accept or reject."""

from __future__ import annotations

import base64
import datetime
import io
import json
import math
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from attendance.models import DailySummary, FenceCheck, FencePunch, FenceReview, Punch, PunchSource
from attendance.summaries import SHANGHAI
from exchange.crypto import FieldCipher
from exchange.mapping import BY_METHOD, Context
from jmzhgd.core.models import AuditLog
from tests import factories
from tests.exchange.fake_province import AES_KEY

pytestmark = pytest.mark.django_db

CENTRE = (22.58, 113.08)
METRES_PER_DEGREE_LAT = math.pi * 6_371_008.8 / 180


def north_of(metres: float) -> tuple[float, float]:
    return (CENTRE[0] + metres / METRES_PER_DEGREE_LAT, CENTRE[1])


def photo() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "orange").save(buffer, "JPEG")
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def fenced(project):
    project.site_fences = [{"type": "circle", "name": "一段", "center": list(CENTRE), "radius": 200}]
    project.save(update_fields=["site_fences"])
    return project


@pytest.fixture
def worker(fenced):
    return factories.RosterEntryFactory(team__unit__project=fenced, entry_date=datetime.date(2026, 3, 3))


def record(worker, metres_north: float = 0, accuracy: float = 10, **changes) -> dict:
    lat, lng = north_of(metres_north)
    now = timezone.now().astimezone(SHANGHAI).replace(microsecond=0)
    data = {
        "uuid": str(uuid.uuid4()),
        "entryId": worker.pk,
        "direction": "01",
        "time": now.strftime("%Y-%m-%d %H:%M:%S"),
        "lat": lat,
        "lng": lng,
        "accuracy": accuracy,
        "image": photo(),
    }
    return {**data, **changes}


def send(client, project, data):
    url = reverse("attendance:fence_punch_submit", kwargs={"project_id": project.pk})
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_punch_inside_the_fence_is_ingested_like_a_devices(project_client, fenced, worker):
    answer = send(project_client, fenced, record(worker, metres_north=100))
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "counted"
    punch = Punch.objects.get(project=fenced)
    assert (punch.source, punch.roster_entry_id, punch.is_anomaly) == (PunchSource.MOBILE, worker.pk, False)
    assert punch.lat is not None and punch.photo
    assert DailySummary.objects.get(project=fenced, person=worker.person).is_present
    assert FencePunch.objects.get().punch_id == punch.pk
    assert AuditLog.objects.filter(action="punch.ingest", project=fenced).exists()  # as a device's punch


def test_a_punch_300_m_outside_lands_as_an_anomaly_with_its_distance(project_client, fenced, worker):
    # 500 m north of the centre of a 200 m circle: 300 m outside.
    answer = send(project_client, fenced, record(worker, metres_north=500))
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "pending" and "300 米" in body["message"]
    stored = FencePunch.objects.get()
    assert (stored.fence_check, stored.review, stored.distance_m) == (
        FenceCheck.OUTSIDE,
        FenceReview.PENDING,
        300,
    )
    assert not Punch.objects.exists() and not DailySummary.objects.exists()
    assert "距围栏 300 米" in AuditLog.objects.get(action="fence_punch.submit").summary


def test_the_accuracy_is_allowed_for_and_a_poor_one_is_an_anomaly(project_client, fenced, worker, settings):
    settings.GEOFENCE_MAX_ACCURACY_M = 100
    near = send(project_client, fenced, record(worker, metres_north=250, accuracy=60)).json()
    assert near["status"] == "counted"  # 50 m out, but within the phone's 60 m
    vague = send(project_client, fenced, record(worker, metres_north=0, accuracy=150, direction="02")).json()
    assert vague["status"] == "pending" and vague["check"] == FenceCheck.INACCURATE


def test_a_project_without_a_fence_keeps_every_punch_for_review(project_client, project):
    entry = factories.RosterEntryFactory(team__unit__project=project)
    answer = send(project_client, project, record(entry)).json()
    assert (answer["status"], answer["check"]) == ("pending", FenceCheck.NO_FENCE)


def test_a_resent_record_is_answered_again_and_a_changed_one_is_refused(project_client, fenced, worker):
    data = record(worker, metres_north=10)
    first = send(project_client, fenced, data).json()
    again = send(project_client, fenced, data).json()
    assert again["replayed"] and again["status"] == first["status"]
    assert FencePunch.objects.count() == 1 and Punch.objects.count() == 1
    changed = send(project_client, fenced, {**data, "direction": "02"})
    assert changed.status_code == 409 and "记录ID已用于另一条" in changed.json()["message"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"uuid": "x"}, "记录ID应为 UUID"),
        ({"lat": None}, "缺少手机定位"),
        ({"lat": "1e999"}, "纬度超出范围"),
        ({"accuracy": "NaN"}, "定位精度超出范围"),
        ({"image": ""}, "请拍摄现场照片"),
        ({"image": "bm90IGFuIGltYWdl"}, "现场照片"),
        ({"entryId": "abc"}, "请选择本项目花名册中的工人"),
        ({"time": "2099-01-01 08:00:00"}, "晚于服务器当前时间"),
        ({"direction": "03"}, "请选择进场或出场"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(project_client, fenced, worker, changes, message):
    answer = send(project_client, fenced, record(worker, **changes))
    assert answer.status_code == 400 and message in answer.json()["message"]
    assert not FencePunch.objects.exists()


def test_a_worker_of_another_project_cannot_be_punched_here(project_client, fenced, other_project):
    stranger = factories.RosterEntryFactory(team__unit__project=other_project)
    answer = send(project_client, fenced, record(stranger))
    assert answer.status_code == 400 and "不在本项目花名册" in answer.json()["message"]


def _pending(client, project, worker) -> FencePunch:
    send(client, project, record(worker, metres_north=500))
    return FencePunch.objects.get(review=FenceReview.PENDING)


def test_the_clerk_accepts_an_outside_punch_and_the_month_then_counts_it(project_client, fenced, worker):
    pending = _pending(project_client, fenced, worker)
    month = reverse("attendance:month", kwargs={"project_id": fenced.pk})
    assert not DailySummary.objects.filter(is_present=True).exists()
    url = reverse("attendance:fence_accept", kwargs={"project_id": fenced.pk, "fence_punch_id": pending.pk})
    assert project_client.post(url, {"reason": ""}).status_code == 302
    pending.refresh_from_db()
    assert pending.review == FenceReview.PENDING  # a reason is required
    project_client.post(url, {"reason": "线路延长段，现场核实"})
    pending.refresh_from_db()
    assert pending.review == FenceReview.ACCEPTED and pending.punch_id
    assert DailySummary.objects.get(person=worker.person).is_present
    assert project_client.get(month).status_code == 200
    log = AuditLog.objects.get(action="fence_punch.accept")
    assert "线路延长段" in log.summary and log.actor_id is not None


def test_a_rejected_punch_is_kept_and_never_counts(project_client, fenced, worker):
    pending = _pending(project_client, fenced, worker)
    url = reverse("attendance:fence_reject", kwargs={"project_id": fenced.pk, "fence_punch_id": pending.pk})
    project_client.post(url, {"reason": "不在工地"})
    pending.refresh_from_db()
    assert (pending.review, pending.review_reason) == (FenceReview.REJECTED, "不在工地")
    assert not Punch.objects.exists() and not DailySummary.objects.exists()
    assert AuditLog.objects.filter(action="fence_punch.reject").exists()
    accept = reverse(
        "attendance:fence_accept", kwargs={"project_id": fenced.pk, "fence_punch_id": pending.pk}
    )
    response = project_client.post(accept, {"reason": "改主意"}, follow=True)
    assert "已处理" in response.content.decode()


def test_another_projects_account_cannot_decide_this_projects_punch(
    project_client, fenced, worker, other_user
):
    from django.test import Client

    pending = _pending(project_client, fenced, worker)
    client = Client()
    client.force_login(other_user)
    for name in ("fence_accept", "fence_reject"):
        for project_id in (fenced.pk, other_user.project_id):
            url = reverse(
                f"attendance:{name}", kwargs={"project_id": project_id, "fence_punch_id": pending.pk}
            )
            assert client.post(url, {"reason": "越权"}).status_code == 404
    pending.refresh_from_db()
    assert pending.review == FenceReview.PENDING


def test_the_list_shows_the_pending_punch_with_its_distance(project_client, fenced, worker):
    _pending(project_client, fenced, worker)
    page = project_client.get(reverse("attendance:fence_anomalies", kwargs={"project_id": fenced.pk}))
    text = page.content.decode()
    assert (
        worker.person.name in text and "围栏外" in text and '<span data-testid="distance">300</span>' in text
    )


def test_an_accepted_punch_goes_to_the_province_with_its_position(project_client, fenced, worker):
    pending = _pending(project_client, fenced, worker)
    url = reverse("attendance:fence_accept", kwargs={"project_id": fenced.pk, "fence_punch_id": pending.pk})
    project_client.post(url, {"reason": "现场核实"})
    punch = Punch.objects.get()
    mapper = BY_METHOD["WorkerAttendance.Add"]
    loaded = mapper.load(fenced, [str(punch.pk)])[str(punch.pk)]
    _header, item = mapper.payload(loaded, Context(cipher=FieldCipher(AES_KEY), team_sys_no={}))
    assert (item["lat"], item["lng"]) == (str(pending.lat), str(pending.lng))
    assert item["attendType"] == "011"


def test_the_worker_search_finds_by_name_or_whole_id_number(project_client, fenced, worker):
    url = reverse("attendance:fence_punch_workers", kwargs={"project_id": fenced.pk})
    by_name = project_client.get(url, {"q": worker.person.name}).json()["results"]
    by_id = project_client.get(url, {"q": worker.person.id_number}).json()["results"]
    assert [r["entryId"] for r in by_name] == [r["entryId"] for r in by_id] == [worker.pk]
    assert worker.person.id_number not in json.dumps(by_id)


def test_an_attendant_reaches_only_the_punch_page_of_its_project(
    project_client, fenced, worker, other_project
):
    from django.test import Client

    from jmzhgd.accounts.models import User

    issue = reverse("attendance:attendants", kwargs={"project_id": fenced.pk})
    page = project_client.post(issue, {"real_name": "一号手机"})
    password = page.context["issued"]["password"]
    attendant = User.objects.get(role="attendant")
    attendant.must_change_password = False
    attendant.save()
    assert attendant.check_password(password) and attendant.project_id == fenced.pk
    client = Client()
    client.force_login(attendant)
    own = reverse("attendance:fence_punch", kwargs={"project_id": fenced.pk})
    assert client.get(own).status_code == 200
    roster = reverse("workforce:roster", kwargs={"project_id": fenced.pk})
    assert client.get(roster)["Location"] == own
    assert (
        client.get(reverse("attendance:fence_punch", kwargs={"project_id": other_project.pk})).status_code
        == 404
    )
    answer = send(client, fenced, record(worker, metres_north=10))
    assert answer.json()["status"] == "counted"
    decide = reverse("attendance:fence_accept", kwargs={"project_id": fenced.pk, "fence_punch_id": 1})
    assert client.post(decide, {"reason": "x"}).status_code == 404
    project_client.post(
        reverse(
            "attendance:attendant_disable", kwargs={"project_id": fenced.pk, "attendant_id": attendant.pk}
        )
    )
    attendant.refresh_from_db()
    assert not attendant.is_active
    assert (
        AuditLog.objects.filter(
            action__in=["account.issue", "account.disable"], object_id=str(attendant.pk)
        ).count()
        == 2
    )


def test_a_nul_character_never_makes_a_server_error(project_client, fenced, worker):
    pending = _pending(project_client, fenced, worker)
    workers = reverse("attendance:fence_punch_workers", kwargs={"project_id": fenced.pk})
    assert project_client.get(workers, {"q": "张\x00"}).status_code == 200
    reject = reverse(
        "attendance:fence_reject", kwargs={"project_id": fenced.pk, "fence_punch_id": pending.pk}
    )
    project_client.post(reject, {"reason": "不在\x00工地"})
    pending.refresh_from_db()
    assert pending.review_reason == "不在工地"
    assert send(project_client, fenced, record(worker, entryId="9" * 12)).status_code == 400
