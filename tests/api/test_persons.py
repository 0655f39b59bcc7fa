"""采集人员上传接口 (docs/requirements.md §7, §10): upsert by ID number, photos checked, optional entry, all or nothing."""

from __future__ import annotations

import base64
import io
from datetime import date

import pytest
from PIL import Image

from jmzhgd.core.models import AuditLog, WorkType
from tests import factories
from workforce.models import Person, PersonSource, RosterEntry

from .conftest import error_of

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"  # born 1949: above the age limit, so entering needs confirmation
YOUNG_ID = factories.id_number(birth=date(1990, 6, 1), gender="0")


def url(project):
    return f"/api/v1/projects/{project.pk}/persons"


def jpeg_b64(size=(40, 50)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "JPEG")
    return base64.b64encode(buffer.getvalue()).decode()


def test_a_new_person_is_created_with_a_reencoded_photo(signed, project):
    payload = {
        "workerName": "张三",
        "idCardNumber": ID.lower(),
        "nation": "汉族",
        "cellPhone": "13800138000",
        "headImage": "data:image/jpeg;base64," + jpeg_b64(),
    }
    response = signed.post(url(project), payload)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["created"] is True and data["idCardNumberMasked"] == "1101**********002X"
    person = Person.objects.get(pk=data["personId"])
    assert person.name == "张三" and person.source == PersonSource.API and person.nation == "01"
    assert person.gender and person.birth_date == date(1949, 12, 31)
    assert person.photo.name.endswith(".jpg")
    assert AuditLog.objects.filter(action="person.create", project=project).exists()


def test_uploading_the_same_id_again_updates_the_person(signed, project):
    signed.post(url(project), {"workerName": "张三", "idCardNumber": ID})
    response = signed.post(url(project), {"idCardNumber": ID, "cellPhone": "13900139000"})
    assert response.json()["created"] is False
    person = Person.objects.get()
    assert person.name == "张三" and person.phone == "13900139000"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"workerName": "张三", "idCardNumber": "110105194912310021"}, "idCardNumber"),
        ({"idCardNumber": ID}, "workerName"),
        ({"workerName": "张三", "idCardNumber": ID, "cellPhone": "12345"}, "cellPhone"),
        ({"workerName": "张三", "idCardNumber": ID, "nation": "火星族"}, "nation"),
        ({"workerName": "张三", "idCardNumber": ID, "expiryDate": "2020-13-01"}, "expiryDate"),
        (
            {"workerName": "张三", "idCardNumber": ID, "headImage": base64.b64encode(b"GIF89a...").decode()},
            "headImage",
        ),
        ({"workerName": "张三", "idCardNumber": ID, "positiveIDCardImage": "%%%"}, "positiveIDCardImage"),
        ({"workerName": "张三"}, "idCardNumber"),
        ({"workerName": "张" * 51, "idCardNumber": ID}, "workerName"),
        ({"workerName": "张三", "idCardNumber": ID, "entry": {"teamId": "x"}}, "entry.teamId"),
    ],
)
def test_bad_input_answers_422_naming_the_field_and_writes_nothing(signed, project, payload, field):
    response = signed.post(url(project), payload)
    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["field"] == field, error
    assert error["message"]
    assert not Person.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="person.").exists()


def test_the_person_can_be_entered_into_the_roster_in_the_same_call(signed, project, team):
    work_type = WorkType.objects.first()
    payload = {
        "workerName": "李四",
        "idCardNumber": YOUNG_ID,
        "entry": {"teamId": team.pk, "workType": work_type.code, "entryDate": "2026-03-05"},
    }
    response = signed.post(url(project), payload)
    assert response.status_code == 200, response.content
    entry = RosterEntry.objects.get(pk=response.json()["rosterEntryId"])
    assert entry.project == project and entry.team == team and entry.unit == team.unit
    assert (
        entry.category == "worker" and entry.work_type == work_type and entry.entry_date == date(2026, 3, 5)
    )


def test_the_team_can_be_named_by_credit_code_and_team_name(signed, project, team):
    work_type = WorkType.objects.first()
    entry = {"corpCode": team.unit.enterprise.credit_code, "teamName": team.name, "workType": work_type.code}
    response = signed.post(url(project), {"workerName": "李四", "idCardNumber": YOUNG_ID, "entry": entry})
    assert response.status_code == 200, response.content
    assert RosterEntry.objects.get().team == team


def test_a_refused_entry_leaves_no_person_behind(signed, project, team):
    # 建筑工人 need a 工种: the entry action refuses, and the whole upload is rolled back.
    response = signed.post(
        url(project), {"workerName": "王五", "idCardNumber": ID, "entry": {"teamId": team.pk}}
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "entry_refused" and error["field"] == "entry" and "工种" in error["message"]
    assert not Person.objects.exists() and not RosterEntry.objects.exists()


def test_an_entry_into_another_projects_team_is_a_404(signed, project, other_project):
    foreign_team = factories.TeamFactory(unit=factories.UnitFactory(project=other_project))
    response = signed.post(
        url(project), {"workerName": "王五", "idCardNumber": ID, "entry": {"teamId": foreign_team.pk}}
    )
    assert response.status_code == 404
    assert error_of(response)["field"] == "entry.teamId"
    assert not Person.objects.exists()


def test_an_entry_with_warnings_needs_confirmation(signed, project, team):
    work_type = WorkType.objects.first()
    entry = {"teamId": team.pk, "workType": work_type.code, "entryDate": "2026-03-05"}
    response = signed.post(url(project), {"workerName": "赵六", "idCardNumber": ID, "entry": entry})
    assert response.status_code == 422
    assert error_of(response)["code"] == "entry_needs_confirmation"
    assert not Person.objects.exists()
    entry["confirmWarnings"] = True
    assert (
        signed.post(url(project), {"workerName": "赵六", "idCardNumber": ID, "entry": entry}).status_code
        == 200
    )
    assert RosterEntry.objects.count() == 1
