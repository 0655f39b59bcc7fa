"""The offline 采集 queue's endpoint (docs/offline-collection.md §3): each record, named by the ID
the phone gave it, is accepted once; the same record again gets the same answer, a changed one 409."""

from __future__ import annotations

import io
import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from jmzhgd.core.codes import IdCardType
from tests.factories import RosterEntryFactory, TeamFactory, UnitFactory, id_number
from workforce.models import CollectedRecord, Person, RosterEntry

pytestmark = pytest.mark.django_db


def record_url(project):
    return reverse("workforce:collect_record", kwargs={"project_id": project.pk})


def photo(color="tan") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), color).save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def record(record_id=None, **extra) -> dict:
    return {
        "record_id": str(record_id or uuid.uuid4()),
        "id_type": IdCardType.RESIDENT_ID,
        "id_number": id_number(birth=date(1990, 5, 6)),
        "name": "离线采集",
        "nation": "01",
        "address": "广东省台山市台城街道",
        "phone": "13812345678",
        **extra,
    }


def send(client, project, data, color="tan"):
    return client.post(record_url(project), {**data, "photo": photo(color)})


def test_the_same_record_sent_again_gets_the_same_answer_and_is_saved_once(project_client, project):
    data = record()
    first = send(project_client, project, data)
    again = send(project_client, project, data)
    assert first.status_code == 200 and "Idempotent-Replayed" not in first
    assert (again.status_code, again.json(), again["Idempotent-Replayed"]) == (200, first.json(), "true")
    person = Person.objects.get()
    assert first.json()["personId"] == person.pk and person.source == "collection" and person.photo
    assert first.json()["message"] == f"采集成功：{person}，已保存到人员库。"
    assert CollectedRecord.objects.get().person == person


def test_a_changed_record_under_a_used_id_is_refused_with_409(project_client, project):
    data = record()
    assert send(project_client, project, data).status_code == 200
    changed = send(project_client, project, {**data, "phone": "13900000000"})
    assert changed.status_code == 409 and changed.json()["code"] == "conflict"
    assert "内容不同" in changed.json()["message"]
    # Another photo is another content too.
    assert send(project_client, project, data, color="white").status_code == 409
    person = Person.objects.get()
    assert person.phone == "13812345678"
    # Corrected as a new record (a new ID), it updates the person through the 人员库 rules.
    assert (
        send(
            project_client, project, {**data, "record_id": str(uuid.uuid4()), "phone": "13900000000"}
        ).status_code
        == 200
    )
    person.refresh_from_db()
    assert person.phone == "13900000000" and Person.objects.count() == 1


def test_a_refused_record_leaves_no_claim_and_can_be_corrected_under_its_id(project_client, project):
    data = record(nation="")
    refused = send(project_client, project, data)
    assert refused.status_code == 422 and refused.json()["code"] == "invalid"
    assert refused.json()["errors"]["nation"] == ["请填写民族（上报省平台必填）。"]
    assert "请填写民族" in refused.json()["message"]
    assert not CollectedRecord.objects.exists() and not Person.objects.exists()
    assert send(project_client, project, {**data, "nation": "01"}).status_code == 200


def test_an_entry_refused_saves_nothing_and_says_why(project_client, project):
    data = record(enter="1", **{"entry-category": "worker", "entry-entry_date": "2026-01-05"})
    refused = send(project_client, project, data)
    assert refused.status_code == 422 and "entry-unit" in refused.json()["errors"]
    assert not Person.objects.exists() and not CollectedRecord.objects.exists()


def test_a_record_with_entry_enters_the_roster(project_client, project):
    team = TeamFactory(unit=UnitFactory(project=project))
    from jmzhgd.core.models import WorkType

    data = record(
        enter="1",
        **{
            "entry-category": "worker",
            "entry-unit": team.unit_id,
            "entry-team": team.pk,
            "entry-work_type": WorkType.objects.filter(is_active=True).first().pk,
            "entry-entry_date": str(team.entry_date),
        },
    )
    answer = send(project_client, project, data).json()
    entry = RosterEntry.objects.get()
    assert answer["entered"] and answer["message"] == f"采集成功：{entry.person}，已进场。"
    assert entry.team == team


def test_another_projects_record_id_is_not_leaked(project_client, project, other_project, other_user):
    data = record()
    mine = send(project_client, project, data).json()
    other = Client()
    other.force_login(other_user)
    # Another project sending the same ID (and content) gets its own answer, not this project's.
    theirs = send(other, other_project, data)
    assert theirs.status_code == 200 and "Idempotent-Replayed" not in theirs
    assert theirs.json()["personId"] == mine["personId"]  # the same person of the city-wide 人员库
    assert CollectedRecord.objects.filter(record_id=data["record_id"]).count() == 2
    # And it cannot send to this project at all.
    assert send(other, project, record()).status_code == 404


def test_a_person_held_elsewhere_keeps_his_identity(project_client, project):
    held = RosterEntryFactory().person  # on another project's site
    data = record(id_number=held.id_number, name="冒名")
    answer = send(project_client, project, data).json()
    held.refresh_from_db()
    assert held.name != "冒名" and answer["proposalId"] is not None


def test_without_a_session_the_queue_is_told_to_log_in(client, project):
    response = send(client, project, record())
    assert response.status_code == 401 and "重新登录" in response.json()["message"]
    assert not Person.objects.exists()


def test_a_record_without_a_valid_id_is_refused(project_client, project):
    response = send(project_client, project, record(record_id="not-a-uuid"))
    assert response.status_code == 400 and "记录编号无效" in response.json()["message"]


def test_the_manifest_and_service_worker_are_scoped_to_the_collection_page(project_client, project):
    page = reverse("workforce:collect", kwargs={"project_id": project.pk})
    manifest = project_client.get(reverse("workforce:collect_manifest", kwargs={"project_id": project.pk}))
    assert manifest["Content-Type"] == "application/manifest+json"
    assert manifest.json()["start_url"] == manifest.json()["scope"] == page
    worker = project_client.get(reverse("workforce:collect_sw", kwargs={"project_id": project.pk}))
    body = worker.content.decode()
    assert worker["Content-Type"].startswith("text/javascript") and "no-cache" in worker["Cache-Control"]
    assert f'var PAGE = "{page}"' in body and "offline-queue.js" in body and "https://" not in body
    assert worker.request["PATH_INFO"].startswith(page)  # its default scope is the page


def test_a_record_with_both_photos_is_compared_with_the_id_card_as_the_form_is(project_client, project):
    # FACE_MATCH_BACKEND=manual (the default): the clerk is to confirm, and the answer says so.
    data = {**record(), "id_front_image": photo("navy")}
    answer = send(project_client, project, data).json()
    assert answer["faceMatch"]["method"] == "manual" and answer["faceMatch"]["status"] == "pending"
    assert "人证比对" in answer["message"]
