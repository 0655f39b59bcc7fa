"""移动考勤 through the signed API (docs/geofence.md, docs/requirements.md §10): signed, idempotent
per request (nonce) and per record (uuid), scoped to the credential's projects."""

from __future__ import annotations

import secrets
import time
import uuid
from datetime import date

import pytest
from django.utils import timezone

from attendance.models import FenceCheck, FencePunch, FenceReview, Punch
from attendance.summaries import SHANGHAI
from tests import factories
from tests.attendance.test_fence_punches import CENTRE, north_of, photo

from .conftest import error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def fenced(project):
    project.site_fences = [{"type": "circle", "name": "一段", "center": list(CENTRE), "radius": 200}]
    project.save(update_fields=["site_fences"])
    return project


@pytest.fixture
def worker(team):
    return factories.RosterEntryFactory(team=team, entry_date=date(2026, 3, 3))


def item(worker, metres_north=0, **changes):
    lat, lng = north_of(metres_north)
    return {
        "uuid": str(uuid.uuid4()),
        "idCardNumber": worker.person.id_number,
        "time": timezone.now().astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
        "direction": "01",
        "lat": lat,
        "lng": lng,
        "accuracy": 8,
        "image": photo(),
        **changes,
    }


def url(project):
    return f"/api/v1/projects/{project.pk}/fence-punches"


def test_a_signed_upload_counts_inside_and_keeps_outside_for_review(signed, fenced, worker):
    response = signed.post(url(fenced), {"records": [item(worker, 50), item(worker, 500, direction="02")]})
    assert response.status_code == 200, response.content
    inside, outside = response.json()["results"]
    assert (inside["status"], inside["distance"]) == ("counted", 0)
    assert (outside["status"], outside["distance"]) == ("pending", 300)
    assert Punch.objects.get().source == "mobile"
    assert FencePunch.objects.get(review=FenceReview.PENDING).fence_check == FenceCheck.OUTSIDE


def test_a_resend_is_idempotent_by_request_and_by_record(signed, fenced, worker):
    records = {"records": [item(worker, 10)]}
    nonce, timestamp = secrets.token_hex(8), int(time.time())  # the very same bytes and headers again
    first = signed.post(url(fenced), records, nonce=nonce, timestamp=timestamp)
    same_bytes = signed.post(url(fenced), records, nonce=nonce, timestamp=timestamp)
    assert same_bytes["Idempotent-Replayed"] == "true" and same_bytes.json() == first.json()
    new_request = signed.post(url(fenced), records).json()["results"][0]
    assert new_request["replayed"] and new_request["status"] == "counted"
    assert FencePunch.objects.count() == 1 and Punch.objects.count() == 1
    changed = dict(records["records"][0], direction="02")
    assert signed.post(url(fenced), {"records": [changed]}).json()["results"][0]["status"] == "conflict"


def test_an_unsigned_or_foreign_upload_is_refused(client, signed, other_signed, fenced, worker):
    assert client.post(url(fenced), {}, content_type="application/json").status_code == 401
    assert error_of(other_signed.post(url(fenced), {"records": [item(worker)]}))["code"] == "not_found"
    assert not FencePunch.objects.exists()


def test_a_bad_item_is_an_error_and_the_others_are_stored(signed, fenced, worker):
    response = signed.post(url(fenced), {"records": [item(worker, accuracy=-1), item(worker, 10)]})
    bad, good = response.json()["results"]
    assert bad["status"] == "error" and "定位精度" in bad["message"]
    assert good["status"] == "counted"
