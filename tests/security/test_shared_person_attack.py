"""End to end: another project's account tries every way to rewrite a worker on this project's
roster (docs/requirements.md §7; docs/architecture.md pattern 10). Nothing of him changes, nor this project's 工资卡 for him:
this project's audit log gains only the proposals it may accept or reject."""

from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jmzhgd.core.models import AuditLog
from tests.api.conftest import make_signed
from tests.security.test_shared_person import jpeg_bytes, state, worker_on
from tests.workforce.fixtures.site import build_site, row, workbook_bytes
from workforce.models import ImportBatch, PersonChangeProposal, RosterEntry

pytestmark = pytest.mark.django_db


def audit_trail(project) -> list[tuple]:
    return list(
        AuditLog.objects.filter(project=project).order_by("pk").values_list("pk", "action", "summary")
    )


def test_another_projects_account_cannot_rewrite_this_projects_worker_by_any_path(
    project, project_client, other_project, other_user
):
    person = worker_on(project)
    edit = reverse("workforce:person_edit", kwargs={"project_id": project.pk, "person_id": person.pk})
    assert project_client.post(edit, {"name": person.name, "phone": "13711112222"}).status_code == 302
    before, trail, roster = state(person), audit_trail(project), list(RosterEntry.objects.values())
    build_site(other_project, persons=False)
    attacker = Client()
    attacker.force_login(other_user)
    forged = {"id_type": "01", "id_number": person.id_number, "name": "冒名顶替", "phone": "13900000000"}
    forged |= {"address": "伪造地址", "bank_name": "伪造银行", "bank_card_number": "6222020000000000999"}
    forged |= {
        "nation": "01"
    }  # 采集 requires it: the forged post must pass the form to meet the rights check
    own = {"project_id": other_project.pk}

    # 【人员库】 add form and 【采集】, twice each (the second post carries a new face).
    for _ in range(2):
        face = SimpleUploadedFile("face.jpg", jpeg_bytes("red"), content_type="image/jpeg")
        attacker.post(reverse("workforce:person_create", kwargs=own), forged)
        attacker.post(reverse("workforce:collect", kwargs=own), {**forged, "photo": face})
    # The edit page, under either project's id.
    for project_id in (other_project.pk, project.pk):
        url = reverse("workforce:person_edit", kwargs={"project_id": project_id, "person_id": person.pk})
        assert attacker.post(url, forged).status_code == 404
    # The person upload API, with B's credential, against B's project and against A's.
    signed = make_signed(Client(), other_project)
    payload = {
        "idCardNumber": person.id_number,
        "workerName": "冒名顶替",
        "payRollBankCardNumber": "6222020000000000999",
        "headImage": base64.b64encode(jpeg_bytes("red")).decode(),
    }
    answer = signed.post(f"/api/v1/projects/{other_project.pk}/persons", payload)
    assert answer.status_code == 200 and answer.json()["proposalId"]
    assert signed.post(f"/api/v1/projects/{project.pk}/persons", payload).status_code == 404
    # 批量人员进场 with the forged name: uploaded, then 【导入】.
    upload = SimpleUploadedFile("进场.xlsx", workbook_bytes([row("冒名顶替", person.id_number)]))
    attacker.post(reverse("workforce:import", kwargs=own), {"file": upload})
    batch = ImportBatch.objects.get(project=other_project)
    attacker.post(reverse("workforce:import_commit", kwargs={**own, "batch_id": batch.pk}))

    after = state(person)
    assert after["cards"].pop(other_project.pk) == "6222020000000000999"  # B's own card for him
    assert after == before
    new_rows = [r for r in audit_trail(project) if r not in trail]
    assert {action for _, action, _ in new_rows} == {"person.propose"}
    assert list(RosterEntry.objects.values()) == roster
    assert not AuditLog.objects.filter(action="person.update", project=other_project).exists()
    assert PersonChangeProposal.objects.filter(person=person, status="pending").count() == len(new_rows)
