"""Shared persons of the 人员库 (docs/requirements.md §7; docs/architecture.md pattern 10; docs/security.md "Shared persons"):
entering a worker gives no right to rewrite him. His identity is changed by the project that holds
him, an ID-card read or a supervisor; anything else becomes a proposal the holder accepts or
rejects, on every path, and every change is audited where he is on site."""

from __future__ import annotations

import base64
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog, WorkType
from tests import factories
from tests.api.conftest import make_signed
from tests.workforce.fixtures.site import build_site, row, workbook_bytes
from workforce import imports
from workforce.imports.validate import NAME_NOT_CHECKED
from workforce.models import PayCard, Person, PersonChangeProposal, ProposalStatus, RosterEntry
from workforce.services import decide_proposal, save_person, upsert_person

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试")
A_CARD = "6222020000000000001"


def jpeg_bytes(colour="gray") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 50), colour).save(out, "JPEG")
    return out.getvalue()


def worker_on(project, **person) -> Person:
    """A person on site in `project`, with `project`'s 工资卡 and a face photo."""
    entry = factories.RosterEntryFactory(
        team__unit__project=project,
        card=A_CARD,
        card__bank_name="中国工商银行江门分行",
        **{f"person__{k}": v for k, v in person.items()},
    )
    entry.person.photo.save("face.jpg", ContentFile(jpeg_bytes()))
    return Person.objects.get(pk=entry.person_id)


def state(person: Person) -> dict:
    person = Person.objects.get(pk=person.pk)
    cards = {c.project_id: c.bank_card_number for c in PayCard.objects.filter(person=person)}
    return {**audit.snapshot(person), "photo": person.photo.name, "cards": cards}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> str:
    return " ".join(m.message for m in response.wsgi_request._messages)


# --- the rule --------------------------------------------------------------------------------


def test_another_projects_change_to_a_worker_on_site_here_is_kept_as_a_proposal(project, other_project):
    person = worker_on(project)
    before = state(person)
    saved = save_person(
        ACTOR,
        {"id_number": person.id_number, "name": "冒名顶替", "phone": "13900000000", "address": "别处"},
        source="web",
        project=other_project,
    )
    assert state(person) == before and not saved.created
    assert saved.message.startswith("此人由其所在项目维护：您填写的人员信息未直接修改，已作为修改申请提交")
    assert project.name not in saved.message
    assert saved.proposal.status == ProposalStatus.PENDING and saved.proposal.project == other_project
    assert not AuditLog.objects.filter(action="person.update").exists()
    proposed = AuditLog.objects.filter(action="person.propose", object_id=str(saved.proposal.pk))
    assert sorted(proposed.values_list("project_id", flat=True)) == sorted([project.pk, other_project.pk])


def test_an_outsider_gets_the_same_answer_whether_the_name_matches_or_not(project, other_project):
    person = worker_on(project)
    answers = [
        save_person(ACTOR, {"id_number": person.id_number, "name": name}, source="web", project=other_project)
        for name in (person.name, "别人的名字")
    ]
    assert [(a.message, a.proposal is not None) for a in answers] == [(answers[1].message, True)] * 2
    # A bare ID number proposes nothing, and a project with him on site is told what differed.
    assert (
        save_person(ACTOR, {"id_number": person.id_number}, source="web", project=other_project).proposal
        is None
    )
    factories.RosterEntryFactory(team__unit__project=other_project, person=person)
    saved = save_person(
        ACTOR, {"id_number": person.id_number, "name": "别人的名字"}, source="web", project=other_project
    )
    assert "您填写的姓名与人员库不一致" in saved.message


def test_a_worker_who_left_every_site_is_kept_by_his_last_project(project, other_project):
    person = worker_on(project)
    RosterEntry.objects.filter(person=person).update(exit_date=date(2026, 3, 10))
    saved = save_person(
        ACTOR, {"id_number": person.id_number, "address": "别处"}, source="web", project=other_project
    )
    assert saved.proposal is not None and saved.message.startswith("此人由其所在项目维护")
    save_person(
        ACTOR, {"id_number": person.id_number, "address": "江门市新会区"}, source="web", project=project
    )
    assert Person.objects.get(pk=person.pk).address == "江门市新会区"


def test_a_worker_on_two_sites_has_his_identity_changed_by_neither(project, other_project):
    person = worker_on(project)
    factories.RosterEntryFactory(team__unit__project=other_project, person=person)
    for acting in (project, other_project):
        saved = save_person(
            ACTOR, {"id_number": person.id_number, "phone": "13711112222"}, source="web", project=acting
        )
        assert "同时在多个项目在场" in saved.message
    # His other details are those of any project that has him on site, audited at both.
    save_person(
        ACTOR,
        {"id_number": person.id_number, "urgent_contact_name": "李大姐"},
        source="web",
        project=other_project,
    )
    assert Person.objects.get(pk=person.pk).urgent_contact_name == "李大姐"
    rows = AuditLog.objects.filter(action="person.update", object_id=str(person.pk))
    assert sorted(rows.values_list("project_id", flat=True)) == sorted([project.pk, other_project.pk])


def test_a_never_rostered_person_is_completed_by_any_project_and_the_card_is_its_own(other_project):
    person = factories.PersonFactory()
    save_person(
        ACTOR,
        {"id_number": person.id_number, "address": "江门市新会区", "bank_card_number": "6222020000000000999"},
        source="web",
        project=other_project,
    )
    assert Person.objects.get(pk=person.pk).address == "江门市新会区"
    assert PayCard.objects.get(person=person).project == other_project


def test_the_platforms_legacy_import_may_still_correct_anyone(project):
    person = worker_on(project)
    upsert_person(ACTOR, {"id_number": person.id_number, "address": "旧平台地址"}, source="legacy")
    assert Person.objects.get(pk=person.pk).address == "旧平台地址"
    assert AuditLog.objects.get(action="person.update").project == project


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


# --- deciding a proposal ------------------------------------------------------------------------


def proposal_for(person, project, **values) -> PersonChangeProposal:
    return save_person(
        ACTOR, {"id_number": person.id_number, **values}, source="web", project=project
    ).proposal


def test_the_holding_project_accepts_a_proposal_and_both_sides_see_it(project, other_project):
    person = worker_on(project)
    proposal = proposal_for(
        person, other_project, phone="13911112222", photo=SimpleUploadedFile("n.jpg", jpeg_bytes("red"))
    )
    old_photo = person.photo.name
    decide_proposal(ACTOR, proposal, accept=True, project=project, reason="已电话核实")
    stored = Person.objects.get(pk=person.pk)
    assert stored.phone == "13911112222" and stored.photo.name != old_photo
    for action in ("person.proposal_accept", "person.update"):
        rows = AuditLog.objects.filter(action=action)
        assert sorted(rows.values_list("project_id", flat=True)) == sorted([project.pk, other_project.pk])
    with pytest.raises(ValidationError, match="已处理"):
        decide_proposal(ACTOR, proposal, accept=False, project=project)


def test_a_rejected_proposal_changes_nothing_and_is_audited_on_both_sides(project, other_project):
    person = worker_on(project)
    before = state(person)
    proposal = proposal_for(person, other_project, name="冒名")
    decide_proposal(ACTOR, proposal, accept=False, project=project, reason="身份证不符")
    assert state(person) == before
    assert PersonChangeProposal.objects.get(pk=proposal.pk).status == ProposalStatus.REJECTED
    rows = AuditLog.objects.filter(action="person.proposal_reject")
    assert sorted(rows.values_list("project_id", flat=True)) == sorted([project.pk, other_project.pk])


def test_the_proposing_project_cannot_accept_its_own_proposal(project, other_project):
    person = worker_on(project)
    proposal = proposal_for(person, other_project, name="冒名")
    with pytest.raises(ValidationError, match="只能由此人所在项目或监管部门处理"):
        decide_proposal(ACTOR, proposal, accept=True, project=other_project)
    assert Person.objects.get(pk=person.pk).name != "冒名"


def test_the_pages_let_the_holder_decide_and_show_the_proposer_its_outcome(
    project, project_client, other_project, other_user
):
    person = worker_on(project)
    proposal = proposal_for(person, other_project, address="江门市蓬江区新地址")
    listing = project_client.get(
        reverse("workforce:proposals", kwargs={"project_id": project.pk})
    ).content.decode()
    assert (
        reverse("workforce:proposal", kwargs={"project_id": project.pk, "proposal_id": proposal.pk})
        in listing
    )
    decide = reverse(
        "workforce:proposal_decide", kwargs={"project_id": project.pk, "proposal_id": proposal.pk}
    )
    attacker = client_for(other_user)
    # The proposer reads its proposal, but deciding it under its own project changes nothing.
    own = {"project_id": other_project.pk, "proposal_id": proposal.pk}
    assert "江门市蓬江区新地址" in attacker.get(reverse("workforce:proposal", kwargs=own)).content.decode()
    attacker.post(reverse("workforce:proposal_decide", kwargs=own), {"decision": "accept"})
    assert attacker.post(decide, {"decision": "accept"}).status_code == 404
    assert Person.objects.get(pk=person.pk).address != "江门市蓬江区新地址"
    assert project_client.post(decide, {"decision": "accept"}).status_code == 302
    assert Person.objects.get(pk=person.pk).address == "江门市蓬江区新地址"
    assert (
        "已采纳"
        in attacker.get(
            reverse("workforce:proposals", kwargs={"project_id": other_project.pk})
        ).content.decode()
    )


def test_a_supervisor_decides_for_a_worker_on_two_sites(project, other_project, supervisor_client):
    person = worker_on(project)
    factories.RosterEntryFactory(team__unit__project=other_project, person=person)
    proposal = proposal_for(person, other_project, phone="13911112222")
    assert (
        proposal.pk
        and "13911112222" not in supervisor_client.get(reverse("workforce:city_proposals")).content.decode()
    )
    url = reverse("workforce:city_proposal", kwargs={"proposal_id": proposal.pk})
    assert "139****2222" in supervisor_client.get(url).content.decode()
    assert supervisor_client.post(url, {"decision": "accept"}).status_code == 302
    assert Person.objects.get(pk=person.pk).phone == "13911112222"
    assert AuditLog.objects.filter(action="person.proposal_accept", project=other_project).exists()


# --- the pages ---------------------------------------------------------------------------------


def test_the_person_form_keeps_the_difference_as_a_proposal_and_selects_him_for_entry(
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
    assert "已作为修改申请提交" in page and project.name not in page
    assert state(person) == before and PersonChangeProposal.objects.filter(person=person).count() == 1


# What 采集 requires besides the name and the ID (the province's ProjectWorker fields).
PROVINCE_REQUIRED = {"nation": "01", "address": "广东省江门市蓬江区", "phone": "13800138000"}


def collected_with_entry(person, team, **fields) -> dict:
    """The 采集 page's post for `person` with an entry into `team` (no 工种 unless given)."""
    entry = {"entry-category": "worker", "entry-unit": team.unit_id, "entry-team": team.pk}
    return {
        "id_type": "01",
        "id_number": person.id_number,
        **PROVINCE_REQUIRED,
        "enter": "1",
        "entry-entry_date": "2026-03-10",
        **entry,
        **fields,
    }


def test_collecting_another_sites_worker_with_entry_enters_him_with_his_stored_identity(
    project, other_project, other_user
):
    person = worker_on(project)
    before = state(person)
    team = build_site(other_project, persons=False).rebar
    face = SimpleUploadedFile("f.jpg", jpeg_bytes("red"), content_type="image/jpeg")
    response = client_for(other_user).post(
        reverse("workforce:collect", kwargs={"project_id": other_project.pk}),
        collected_with_entry(
            person,
            team,
            name="冒名",
            phone="13655556666",
            photo=face,
            confirm_warnings="1",  # he is on site in `project`: a warning to confirm
            **{"entry-work_type": WorkType.objects.first().pk},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RosterEntry.objects.filter(project=other_project, person=person).exists()
    assert state(person) == before and "已作为修改申请提交" in messages_of(response)
    proposal = PersonChangeProposal.objects.get(person=person)
    assert proposal.photo and '"phone": "13655556666"' in proposal.changes


def test_collecting_a_worker_who_left_every_site_with_entry_completes_him(project, other_project, other_user):
    person = worker_on(project)
    RosterEntry.objects.filter(person=person).update(exit_date=date(2026, 3, 5))
    team = build_site(other_project, persons=False).rebar
    response = client_for(other_user).post(
        reverse("workforce:collect", kwargs={"project_id": other_project.pk}),
        collected_with_entry(
            person,
            team,
            name=person.name,
            phone="13655556666",
            **{"entry-work_type": WorkType.objects.first().pk},
        ),
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).phone == "13655556666"  # his only open stay is here now
    assert not PersonChangeProposal.objects.exists()


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
    assert not PersonChangeProposal.objects.exists()


def test_the_edit_page_of_a_worker_who_left_this_site_keeps_the_change_as_a_proposal(
    project, other_project, other_user
):
    person = worker_on(project)
    factories.RosterEntryFactory(team__unit__project=other_project, person=person, exit_date=date(2026, 3, 9))
    before = state(person)
    url = reverse("workforce:person_edit", kwargs={"project_id": other_project.pk, "person_id": person.pk})
    response = client_for(other_user).post(url, {"name": "冒名", "address": "别处"})
    assert response.status_code == 302 and "未直接修改，已作为修改申请提交" in messages_of(response)
    assert "已保存" not in messages_of(response)
    assert state(person) == before


# --- the API and the batch import -------------------------------------------------------------


def api_url(project):
    return f"/api/v1/projects/{project.pk}/persons"


def entry_for(project) -> dict:
    team = build_site(project, persons=False).rebar
    return {
        "teamId": team.pk,
        "workType": WorkType.objects.first().code,
        "entryDate": "2026-03-10",
        "confirmWarnings": True,
    }


def test_the_api_enters_another_sites_worker_and_answers_with_the_proposal(client, project, other_project):
    person = worker_on(project)
    before = state(person)
    response = make_signed(client, other_project).post(
        api_url(other_project),
        {
            "idCardNumber": person.id_number,
            "workerName": "冒名",
            "cellPhone": "13900000000",
            "payRollBankCardNumber": "6222020000000000999",
            "headImage": base64.b64encode(jpeg_bytes("red")).decode(),
            "entry": entry_for(other_project),
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rosterEntryId"] and body["proposalId"] and "已作为修改申请提交" in body["message"]
    after = state(person)
    # Nothing of his identity, and A's card as it was; B's card is B's own.
    assert after["cards"].pop(other_project.pk) == "6222020000000000999"
    assert {**after, "cards": after["cards"]} == before
    assert not AuditLog.objects.filter(action="person.update").exists()


def test_the_api_without_entry_keeps_the_change_as_a_proposal(client, project, other_project):
    person = worker_on(project)
    before = state(person)
    response = make_signed(client, other_project).post(
        api_url(other_project),
        {"idCardNumber": person.id_number, "workerName": "冒名", "address": "伪造地址"},
    )
    assert response.status_code == 200 and response.json()["proposalId"]
    assert response.json()["rosterEntryId"] is None and state(person) == before


def test_an_id_card_read_with_entry_updates_the_cards_own_fields_only(client, project, other_project):
    person = worker_on(project)
    old_photo, old_phone = person.photo.name, person.phone
    response = make_signed(client, other_project).post(
        api_url(other_project),
        {
            "idCardNumber": person.id_number,
            "workerName": "张新名",
            "address": "广东省江门市蓬江区读卡地址1号",
            "cellPhone": "13900000000",
            "headImage": base64.b64encode(jpeg_bytes("red")).decode(),
            "idCardRead": True,
            "entry": entry_for(other_project),
        },
    )
    assert response.status_code == 200, response.content
    stored = Person.objects.get(pk=person.pk)
    assert (stored.name, stored.address) == ("张新名", "广东省江门市蓬江区读卡地址1号")
    assert (stored.phone, stored.photo.name) == (old_phone, old_photo)
    assert "手机号、头像" in response.json()["message"]
    assert AuditLog.objects.filter(action="person.update", project=project).exists()


def test_an_id_card_read_without_entry_is_only_a_proposal(client, project, other_project):
    person = worker_on(project)
    before = state(person)
    response = make_signed(client, other_project).post(
        api_url(other_project), {"idCardNumber": person.id_number, "workerName": "张新名", "idCardRead": True}
    )
    assert response.status_code == 200 and response.json()["proposalId"] and state(person) == before


def test_the_batch_import_never_changes_a_person_and_still_enters_him(project, other_project):
    person = worker_on(project)
    before = state(person)
    build_site(other_project, persons=False)
    wrong = imports.create_preview(
        ACTOR, other_project, SimpleUploadedFile("a.xlsx", workbook_bytes([row("冒名", person.id_number)]))
    )
    # Whether the name fits or not, a project that never had him hears the same words (no oracle).
    assert not wrong.report[0]["errors"]
    assert wrong.report[0]["warnings"][0] == ["姓名", NAME_NOT_CHECKED]
    right = imports.create_preview(
        ACTOR,
        other_project,
        SimpleUploadedFile("b.xlsx", workbook_bytes([row(person.name, person.id_number)])),
    )
    assert right.report[0]["warnings"][0] == wrong.report[0]["warnings"][0]
    imports.commit_batch(ACTOR, right, confirm_warnings=True)  # he is on site elsewhere: confirmed
    assert RosterEntry.objects.filter(project=other_project, person=person).exists()
    assert state(person) == before


def test_the_audit_logs_render_the_proposal_and_card_rows(
    project, project_client, other_project, supervisor_client
):
    person = worker_on(project)
    proposal = proposal_for(person, other_project, name="冒名", bank_card_number="6222020000000000999")
    decide_proposal(ACTOR, proposal, accept=False, project=None, reason="不符")
    project_log = project_client.get(reverse("core:project_audit_log", kwargs={"project_id": project.pk}))
    assert project_log.status_code == 200 and "驳回人员信息修改申请" in project_log.content.decode()
    city_log = supervisor_client.get(reverse("core:audit_log")).content.decode()
    for label in ("提交人员信息修改申请", "驳回人员信息修改申请", "登记工资卡"):
        assert label in city_log
    assert "6222020000000000999" not in city_log
