"""Shared persons of the 人员库 (docs/requirements.md §7; docs/architecture.md pattern 10): a project changes a person only
while he is on its own roster, on every path, and every change is audited where he is on site."""

from __future__ import annotations

import base64
import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog, WorkType
from tests import factories
from tests.api.conftest import error_of, make_signed
from tests.workforce.fixtures.site import build_site, row, workbook_bytes
from workforce import imports
from workforce.models import Person, RosterEntry
from workforce.person_rights import MAINTAINED_ELSEWHERE, PersonChangeRefused
from workforce.services import upsert_person

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试")


def jpeg_bytes(colour="gray") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 50), colour).save(out, "JPEG")
    return out.getvalue()


def worker_on(project, **person) -> Person:
    """A person on site in `project`, with a 工资卡 and a face photo."""
    entry = factories.RosterEntryFactory(
        team__unit__project=project,
        person__bank_name="中国工商银行江门分行",
        person__bank_card_number="6222020000000000001",
        **{f"person__{k}": v for k, v in person.items()},
    )
    entry.person.photo.save("face.jpg", ContentFile(jpeg_bytes()))
    return Person.objects.get(pk=entry.person_id)


def state(person: Person) -> dict:
    person = Person.objects.get(pk=person.pk)
    return {**audit.snapshot(person), "photo": person.photo.name}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_another_project_cannot_change_a_worker_on_this_projects_roster(project, other_project):
    person = worker_on(project)
    before = state(person)
    with pytest.raises(PersonChangeRefused) as refused:
        upsert_person(
            ACTOR,
            {"id_number": person.id_number, "name": "冒名顶替", "bank_card_number": "6222020000000000999"},
            source="web",
            project=other_project,
        )
    assert refused.value.messages == [MAINTAINED_ELSEWHERE]
    assert project.name not in MAINTAINED_ELSEWHERE and state(person) == before
    assert not AuditLog.objects.filter(action="person.update").exists()


def test_resubmitting_a_foreign_workers_unchanged_details_is_not_refused(project, other_project):
    person = worker_on(project)
    same, created = upsert_person(
        ACTOR, {"id_number": person.id_number, "name": person.name}, source="web", project=other_project
    )
    assert same.pk == person.pk and not created


def test_a_person_who_left_every_site_is_changed_by_no_project(project, other_project):
    person = worker_on(project)
    RosterEntry.objects.filter(person=person).update(exit_date=date(2026, 3, 10))
    for acting in (project, other_project):
        with pytest.raises(PersonChangeRefused):
            upsert_person(
                ACTOR, {"id_number": person.id_number, "address": "别处"}, source="web", project=acting
            )


def test_a_never_rostered_person_may_be_corrected_but_not_his_wage_card_or_face(other_project):
    person = factories.PersonFactory()
    upsert_person(
        ACTOR, {"id_number": person.id_number, "address": "江门市新会区"}, source="web", project=other_project
    )
    assert Person.objects.get(pk=person.pk).address == "江门市新会区"
    with pytest.raises(PersonChangeRefused) as refused:
        upsert_person(
            ACTOR,
            {
                "id_number": person.id_number,
                "bank_card_number": "6222020000000000999",
                "photo": SimpleUploadedFile("f.jpg", jpeg_bytes()),
            },
            source="web",
            project=other_project,
        )
    assert set(refused.value.message_dict) == {"bank_card_number", "photo"}
    assert "请先办理进场" in refused.value.message_dict["photo"][0]
    stored = Person.objects.get(pk=person.pk)
    assert not stored.bank_card_number and not stored.photo


def test_the_platforms_legacy_import_may_still_correct_anyone(project):
    person = worker_on(project)
    upsert_person(ACTOR, {"id_number": person.id_number, "address": "旧平台地址"}, source="legacy")
    assert Person.objects.get(pk=person.pk).address == "旧平台地址"
    assert AuditLog.objects.get(action="person.update").project == project


def test_a_change_by_one_site_is_audited_in_every_project_where_he_is_on_site(project, other_project):
    person = worker_on(project)
    factories.RosterEntryFactory(team__unit__project=other_project, person=person)
    upsert_person(
        ACTOR, {"id_number": person.id_number, "phone": "13711112222"}, source="web", project=other_project
    )
    rows = AuditLog.objects.filter(action="person.update", object_id=str(person.pk))
    assert sorted(rows.values_list("project_id", flat=True)) == sorted([project.pk, other_project.pk])


def test_the_projects_audit_page_shows_the_other_sites_change_to_its_worker(
    project_client, project, other_project
):
    person = worker_on(project)
    factories.RosterEntryFactory(team__unit__project=other_project, person=person)
    upsert_person(
        ACTOR, {"id_number": person.id_number, "phone": "13711112222"}, source="web", project=other_project
    )
    page = project_client.get(reverse("core:project_audit_log", kwargs={"project_id": project.pk}))
    assert "人员信息更新" in page.content.decode()


# --- the pages ---------------------------------------------------------------------------------


def test_the_person_form_refuses_the_change_and_still_selects_him_for_entry(
    project, other_project, other_user
):
    person = worker_on(project)
    before = state(person)
    client = client_for(other_user)
    url = reverse("workforce:person_create", kwargs={"project_id": other_project.pk})
    response = client.post(
        url, {"id_type": "01", "id_number": person.id_number, "name": "冒名", "phone": "13900000000"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/roster/enter/")
    assert person.pk in client.session[f"entry_selection_{other_project.pk}"]
    page = client.get(response["Location"]).content.decode()
    assert "此人信息由其在场项目维护" in page and "信息已更新" not in page and project.name not in page
    assert state(person) == before


def test_the_collect_page_refuses_the_change_and_writes_nothing(project, other_project, other_user):
    person = worker_on(project)
    before = state(person)
    response = client_for(other_user).post(
        reverse("workforce:collect", kwargs={"project_id": other_project.pk}),
        {
            "id_type": "01",
            "id_number": person.id_number,
            "name": "冒名",
            "photo": SimpleUploadedFile("f.jpg", jpeg_bytes("red"), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200 and "此人信息由其在场项目维护" in response.content.decode()
    assert state(person) == before and not AuditLog.objects.filter(action="person.update").exists()


def collected_with_entry(person, team, **fields) -> dict:
    """The 采集 page's post for `person` with an entry into `team` (no 工种 unless given)."""
    entry = {"entry-category": "worker", "entry-unit": team.unit_id, "entry-team": team.pk}
    return {
        "id_type": "01",
        "id_number": person.id_number,
        "enter": "1",
        "entry-entry_date": "2026-03-10",
        **entry,
        **fields,
    }


def test_collecting_with_entry_enters_him_first_and_the_change_is_audited_at_his_site(
    project, other_project, other_user
):
    person = worker_on(project)
    team = build_site(other_project, persons=False).rebar
    response = client_for(other_user).post(
        reverse("workforce:collect", kwargs={"project_id": other_project.pk}),
        collected_with_entry(
            person,
            team,
            name=person.name,
            phone="13655556666",
            # He is on site in `project`: the entry is a warning to confirm (on_site_elsewhere).
            confirm_warnings="1",
            **{"entry-work_type": WorkType.objects.first().pk},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RosterEntry.objects.filter(project=other_project, person=person).exists()
    assert Person.objects.get(pk=person.pk).phone == "13655556666"
    assert AuditLog.objects.filter(action="person.update", project=project, object_id=str(person.pk)).exists()


def test_collecting_with_a_refused_entry_changes_nothing(project, other_project, other_user):
    person = worker_on(project)
    before = state(person)
    team = build_site(other_project, persons=False).rebar
    response = client_for(other_user).post(
        reverse("workforce:collect", kwargs={"project_id": other_project.pk}),
        collected_with_entry(person, team, name="冒名"),  # no 工种: the entry is refused
    )
    assert response.status_code == 200 and "须选择工种" in response.content.decode()
    assert state(person) == before and not RosterEntry.objects.filter(project=other_project).exists()


def test_the_edit_page_of_a_worker_who_left_this_site_refuses_the_change(project, other_project, other_user):
    person = worker_on(project)
    factories.RosterEntryFactory(team__unit__project=other_project, person=person, exit_date=date(2026, 3, 9))
    before = state(person)
    url = reverse("workforce:person_edit", kwargs={"project_id": other_project.pk, "person_id": person.pk})
    response = client_for(other_user).post(url, {"name": "冒名", "address": "别处"})
    assert response.status_code == 200 and "此人信息由其在场项目维护" in response.content.decode()
    assert state(person) == before


# --- the API and the batch import -------------------------------------------------------------


def api_url(project):
    return f"/api/v1/projects/{project.pk}/persons"


def test_the_api_refuses_another_sites_worker_with_403_and_writes_nothing(client, project, other_project):
    person = worker_on(project)
    before = state(person)
    signed = make_signed(client, other_project)
    response = signed.post(
        api_url(other_project),
        {
            "idCardNumber": person.id_number,
            "workerName": "冒名",
            "payRollBankCardNumber": "6222020000000000999",
            "headImage": base64.b64encode(jpeg_bytes("red")).decode(),
        },
    )
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "person_not_on_roster" and error["message"] == MAINTAINED_ELSEWHERE
    assert state(person) == before and not AuditLog.objects.filter(action="person.update").exists()


def test_the_api_refuses_a_wage_card_for_a_person_not_on_its_roster(client, other_project):
    person = factories.PersonFactory()
    response = make_signed(client, other_project).post(
        api_url(other_project),
        {"idCardNumber": person.id_number, "payRollBankCardNumber": "6222020000000000999"},
    )
    assert response.status_code == 403 and error_of(response)["field"] == "payRollBankCardNumber"
    assert not Person.objects.get(pk=person.pk).bank_card_number


def test_the_api_uploads_a_new_face_with_the_entry_of_a_worker_of_another_site(
    client, project, other_project
):
    person = worker_on(project)
    old_photo = person.photo.name
    team = build_site(other_project, persons=False).rebar
    response = make_signed(client, other_project).post(
        api_url(other_project),
        {
            "idCardNumber": person.id_number,
            "headImage": base64.b64encode(jpeg_bytes("red")).decode(),
            "entry": {
                "teamId": team.pk,
                "workType": WorkType.objects.first().code,
                "entryDate": "2026-03-10",
                # He is on site at his own site: a warning the client confirms (on_site_elsewhere).
                "confirmWarnings": True,
            },
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["rosterEntryId"] and Person.objects.get(pk=person.pk).photo.name != old_photo
    assert AuditLog.objects.filter(action="person.update", project=project).exists()


def test_the_batch_import_never_changes_a_person_and_still_enters_him(project, other_project):
    person = worker_on(project)
    before = state(person)
    build_site(other_project, persons=False)
    wrong = imports.create_preview(
        ACTOR, other_project, SimpleUploadedFile("a.xlsx", workbook_bytes([row("冒名", person.id_number)]))
    )
    assert "姓名与人员库中该证件号码登记的姓名不一致" in str(wrong.report[0]["errors"])
    right = imports.create_preview(
        ACTOR,
        other_project,
        SimpleUploadedFile("b.xlsx", workbook_bytes([row(person.name, person.id_number)])),
    )
    # He is on site at his own site: the import asks to confirm that warning (on_site_elsewhere).
    imports.commit_batch(ACTOR, right, confirm_warnings=True)
    assert RosterEntry.objects.filter(project=other_project, person=person).exists()
    assert state(person) == before


def test_his_own_site_replaces_the_face_photo_alone_and_it_is_audited(project):
    person = worker_on(project)
    old_photo = person.photo.name
    upsert_person(
        ACTOR,
        {"id_number": person.id_number, "photo": SimpleUploadedFile("n.jpg", jpeg_bytes("red"))},
        source="collection",
        project=project,
    )
    assert Person.objects.get(pk=person.pk).photo.name != old_photo
    assert AuditLog.objects.get(action="person.update").before == {"photo": old_photo}
