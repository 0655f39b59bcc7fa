"""人证比对 (docs/face-match.md): the photo against the ID card's photo, the clerk's confirmation, the gate at
the entry wizard, 采集 and the API. The `local` backend runs dlib on photos shipped in face_images/."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog, WorkType
from tests.api.conftest import make_signed
from tests.factories import PersonFactory, TeamFactory, UnitFactory, id_number
from workforce.face_match import compare_local, local_available
from workforce.models import FaceMatch, RosterEntry
from workforce.services.face import face_match_for

pytestmark = pytest.mark.django_db

IMAGES = Path(__file__).parent / "face_images"


def image(name: str) -> bytes:
    return (IMAGES / f"{name}.jpg").read_bytes()


def person_with(photo: str, card: str):
    person = PersonFactory(id_number=id_number(birth=date(1990, 1, 1)))
    person.photo.save("face.jpg", ContentFile(image(photo)), save=False)
    person.id_front_image.save("card.jpg", ContentFile(image(card)))
    return person


def wizard_step2(client, project, person, team):
    client.post(
        reverse("workforce:enter", kwargs={"project_id": project.pk}),
        {"shown": [person.pk], "ids": [person.pk]},
    )
    step2 = reverse("workforce:enter_details", kwargs={"project_id": project.pk})
    data = {
        "category": "worker",
        "unit": team.unit_id,
        "team": team.pk,
        "work_type": WorkType.objects.first().pk,
        "entry_date": "2026-03-10",
    }
    return client.post(step2, data)


def decide_url(project, match):
    return reverse("workforce:face_match", kwargs={"project_id": project.pk, "match_id": match.pk})


def test_the_local_model_tells_the_same_face_from_a_stranger(project):
    assert local_available()  # the test extra installs it: CI runs the real model
    same = person_with("obama", "obama2")
    stranger = person_with("biden", "obama3")
    alike = compare_local(same.photo, same.id_front_image, 0.4)
    unlike = compare_local(stranger.photo, stranger.id_front_image, 0.4)
    assert alike.passed and alike.score > 0.5
    assert not unlike.passed and unlike.score < 0.3


def test_local_backend_passes_the_same_face_and_flags_the_stranger(project, settings):
    settings.FACE_MATCH_BACKEND = "local"
    passed = face_match_for(Actor.system(), project, person_with("obama", "obama3"))
    flagged = face_match_for(Actor.system(), project, person_with("biden", "obama"))
    assert (passed.status, passed.method, passed.threshold) == ("passed", "local", 0.4)
    assert flagged.status == "pending" and flagged.score < flagged.threshold
    assert AuditLog.objects.filter(action="face_match.compare", project=project).count() == 2


def test_the_threshold_decides_and_is_stored_with_the_score(project, settings):
    settings.FACE_MATCH_BACKEND = "local"
    settings.FACE_MATCH_THRESHOLD = 0.95  # stricter than any real pair of photos
    match = face_match_for(Actor.system(), project, person_with("obama", "obama2"))
    assert match.status == "pending" and match.threshold == 0.95 and 0.5 < match.score < 0.95


def test_a_photo_without_a_face_needs_the_clerk(project, settings):
    from io import BytesIO

    from PIL import Image

    settings.FACE_MATCH_BACKEND = "local"
    person = person_with("obama", "obama")
    blank = BytesIO()
    Image.new("RGB", (300, 400), "gray").save(blank, "JPEG")
    person.id_front_image.save("blank.jpg", ContentFile(blank.getvalue()))
    match = face_match_for(Actor.system(), project, person)
    assert match.status == "pending" and match.score is None and "身份证照片中未检测到人脸" in match.note


def test_manual_backend_holds_the_entry_until_the_clerk_confirms_with_a_reason(project_client, project):
    team = TeamFactory(unit=UnitFactory(project=project))
    person = person_with("obama", "obama2")
    page = wizard_step2(project_client, project, person, team).content.decode()
    assert "人证比对待确认" in page and "需人工核对人员照片与身份证照片" in page
    assert not RosterEntry.objects.exists()
    match = FaceMatch.objects.get()
    assert (match.method, match.status, match.score) == ("manual", "pending", None)

    detail = project_client.get(decide_url(project, match)).content.decode()
    assert "人员照片" in detail and "身份证照片" in detail
    image_url = reverse(
        "workforce:face_match_image",
        kwargs={"project_id": project.pk, "match_id": match.pk, "image_kind": "card"},
    )
    assert project_client.get(image_url).status_code == 200

    missing = project_client.post(decide_url(project, match), {"decision": "same", "reason": " "})
    assert "请填写确认理由" in missing.content.decode()
    done = project_client.post(decide_url(project, match), {"decision": "same", "reason": "已核对身份证原件"})
    assert done.status_code == 302
    match.refresh_from_db()
    assert match.status == "confirmed" and match.reason == "已核对身份证原件" and match.decided_by is not None
    row = AuditLog.objects.get(action="face_match.decide")
    assert row.project_id == project.pk and "已核对身份证原件" in row.summary

    assert wizard_step2(project_client, project, person, team).status_code == 302
    assert RosterEntry.objects.get().person == person


def test_not_the_same_person_refuses_the_entry_with_the_reason(project_client, project):
    team = TeamFactory(unit=UnitFactory(project=project))
    person = person_with("biden", "obama")
    wizard_step2(project_client, project, person, team)
    match = FaceMatch.objects.get()
    project_client.post(decide_url(project, match), {"decision": "different", "reason": "非本人，冒用证件"})
    page = wizard_step2(project_client, project, person, team).content.decode()
    assert "人证比对已确认不是本人（非本人，冒用证件），不能进场" in page
    assert not RosterEntry.objects.exists()


def test_a_person_without_both_photos_enters_as_before(project_client, project):
    team = TeamFactory(unit=UnitFactory(project=project))
    person = PersonFactory(id_number=id_number(birth=date(1990, 1, 1)))
    assert wizard_step2(project_client, project, person, team).status_code == 302
    assert not FaceMatch.objects.exists()


def test_another_projects_comparison_is_a_404(client, other_user, other_project, project):
    match = face_match_for(Actor.system(), project, person_with("obama", "obama2"))
    client.force_login(other_user)
    assert client.get(decide_url(project, match)).status_code == 404
    other = other_project
    assert client.get(decide_url(other, match)).status_code == 404
    response = client.post(decide_url(other, match), {"decision": "same", "reason": "越权"})
    assert response.status_code == 404
    match.refresh_from_db()
    assert match.status == "pending"


def test_collection_compares_the_photos_it_saves(project_client, project, settings):
    settings.FACE_MATCH_BACKEND = "local"
    data = {
        "id_type": "01",
        "id_number": id_number(birth=date(1991, 2, 3)),
        "name": "梁志强",
        "nation": "01",
        "address": "广东省江门市蓬江区白沙街道",
        "phone": "13812345678",
        "photo": SimpleUploadedFile("face.jpg", image("biden"), content_type="image/jpeg"),
        "id_front_image": SimpleUploadedFile("card.jpg", image("obama"), content_type="image/jpeg"),
    }
    url = reverse("workforce:collect", kwargs={"project_id": project.pk})
    page = project_client.post(url, data, follow=True).content.decode()
    match = FaceMatch.objects.get()
    assert match.status == "pending" and match.method == "local"
    assert "需人工核对人员照片与身份证照片" in page


def test_the_api_answers_with_the_comparison(client, project, settings):
    settings.FACE_MATCH_BACKEND = "local"
    payload = {
        "workerName": "张三",
        "idCardNumber": id_number(birth=date(1990, 6, 1)),
        "nation": "汉族",
        "cellPhone": "13800138000",
        "headImage": base64.b64encode(image("obama")).decode(),
        "positiveIDCardImage": base64.b64encode(image("obama3")).decode(),
        "idCardRead": True,
    }
    response = make_signed(client, project).post(f"/api/v1/projects/{project.pk}/persons", payload)
    assert response.status_code == 200, response.content
    face = response.json()["faceMatch"]
    assert face["method"] == "local" and face["status"] == "passed" and face["score"] >= face["threshold"]
    assert "人证比对通过" in face["message"]


def test_a_supervisor_reads_a_comparison_but_may_not_decide(supervisor_client, project):
    match = face_match_for(Actor.system(), project, person_with("obama", "obama2"))
    assert supervisor_client.get(decide_url(project, match)).status_code == 200
    response = supervisor_client.post(decide_url(project, match), {"decision": "same", "reason": "监管"})
    assert response.status_code == 403


def test_demo_data_has_a_pending_and_a_confirmed_comparison(project):
    from jmzhgd.core.demo import DemoContext
    from workforce import demo as workforce_demo

    TeamFactory(unit=UnitFactory(project=project), entry_date=date(2026, 3, 1))
    workforce_demo.seed(DemoContext(write=lambda line: None, shared={"projects": [project]}))
    statuses = sorted(FaceMatch.objects.filter(project=project).values_list("status", flat=True))
    assert statuses == ["confirmed", "pending"]
