"""人员库 and 花名册 URLs (docs/requirements.md §7). Builders create an on-site roster entry, and a person with a photo
who is on the roster of the given project."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image

from tests import factories

from ..spec import PROJECT_FORM, PROJECT_PAGE, SUPERVISOR_PAGE, Expect

EXPECTATIONS = {
    "workforce:roster": PROJECT_PAGE,
    "workforce:roster_export": PROJECT_PAGE,
    "workforce:exit": PROJECT_FORM,
    # An empty batch-exit post goes back to the roster with a message.
    "workforce:batch_exit": Expect(method="POST", supervisor=403, own=302),
    "workforce:enter": PROJECT_FORM,
    # Step 2 without a selection sends the project back to step 1.
    "workforce:enter_details": Expect(supervisor=403, own=302),
    "workforce:entry_options": PROJECT_PAGE,
    "workforce:person_create": PROJECT_FORM,
    "workforce:person_detail": PROJECT_PAGE,
    "workforce:person_edit": PROJECT_FORM,
    # Revealing the full ID number is allowed to whoever may read the project (audited).
    "workforce:person_reveal": Expect(method="POST", supervisor=200, own=200),
    "workforce:person_image": PROJECT_PAGE,
    "workforce:collect": PROJECT_FORM,
    # The offline 采集 app: its queue's endpoint answers JSON (401 asks the phone to log in again;
    # a post without a record ID is 400), its manifest and service worker are the page's own.
    "workforce:collect_record": Expect(method="POST", anonymous=401, supervisor=403, own=400),
    "workforce:collect_manifest": PROJECT_FORM,
    "workforce:collect_sw": PROJECT_FORM,
    # 人员信息修改申请: the list, one proposal, and 【采纳】/【驳回】 by the project that holds him.
    "workforce:proposals": PROJECT_PAGE,
    "workforce:proposal": PROJECT_PAGE,
    "workforce:proposal_decide": Expect(method="POST", supervisor=403, own=302, data={"decision": "reject"}),
    "workforce:city_proposals": SUPERVISOR_PAGE,
    "workforce:city_proposal": SUPERVISOR_PAGE,
    # 人证比对: the list, one comparison (GET shows both photos; its POST is the clerk's confirmation,
    # tested in tests/workforce/test_face_match.py), and the two photos it compares.
    "workforce:face_matches": PROJECT_PAGE,
    "workforce:face_match": PROJECT_PAGE,
    "workforce:face_match_image": PROJECT_PAGE,
}


def _entry(project):
    return factories.RosterEntryFactory(team__unit__project=project)


def _person_with_photo(project) -> int:
    out = io.BytesIO()
    Image.new("RGB", (30, 40), "gray").save(out, "JPEG")
    entry = _entry(project)
    entry.person.photo.save("face.jpg", ContentFile(out.getvalue()))
    return entry.person_id


def _proposal(project) -> int:
    """A proposal by another project for a worker `project` holds (so `project` may decide it)."""
    from jmzhgd.core.actor import Actor
    from workforce.services import save_person

    person = _entry(project).person
    proposer = factories.ProjectFactory(name="提出修改申请的项目")
    data = {"id_number": person.id_number, "address": "申请修改的地址"}
    return save_person(Actor.system("矩阵"), data, source="web", project=proposer).proposal.pk


def _face_match(project) -> int:
    """A pending manual comparison of a person on `project`'s roster with both photos."""
    from jmzhgd.core.actor import Actor
    from workforce.models import Person
    from workforce.services.face import face_match_for

    person = Person.objects.get(pk=_person_with_photo(project))
    out = io.BytesIO()
    Image.new("RGB", (30, 40), "gray").save(out, "JPEG")
    person.id_front_image.save("card.jpg", ContentFile(out.getvalue()))
    return face_match_for(Actor.system("矩阵"), project, person).pk


KWARGS = {
    "entry_id": lambda project: _entry(project).pk,
    "match_id": _face_match,
    "proposal_id": _proposal,
    "person_id": _person_with_photo,
    "image_kind": lambda project: "photo",
}


# The "foreign person" case (docs/requirements.md §7; docs/architecture.md pattern 10): project B's account tries to change a
# person on project A's roster through every path that writes the 人员库. Each entry: how to send
# the attempt (client, project B, the person) and the answer expected. The person must not change.
def _foreign_form(name):
    def attempt(client, project, person):
        from django.urls import reverse

        # 民族 and 住址 too: 采集 requires what the province's worker record needs before anything else.
        data = {"id_type": "01", "id_number": person.id_number, "name": "冒名", "phone": "13900000000"}
        data.update(nation="01", address="广东省江门市蓬江区")
        return client.post(reverse(name, kwargs={"project_id": project.pk}), data)

    return attempt


def _foreign_edit(client, project, person):
    from django.urls import reverse

    url = reverse("workforce:person_edit", kwargs={"project_id": project.pk, "person_id": person.pk})
    return client.post(url, {"name": "冒名", "address": "别处"})


def _foreign_api(client, project, person):
    from tests.api.conftest import make_signed

    payload = {
        "idCardNumber": person.id_number,
        "workerName": "冒名",
        "payRollBankCardNumber": "6222020000000000999",
    }
    return make_signed(client, project).post(f"/api/v1/projects/{project.pk}/persons", payload)


def _foreign_import(client, project, person):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.workforce.fixtures.site import row, workbook_bytes

    upload = SimpleUploadedFile("进场.xlsx", workbook_bytes([row("冒名", person.id_number)]))
    return client.post(reverse("workforce:import", kwargs={"project_id": project.pk}), {"file": upload})


FOREIGN_PERSON = {
    # The person form keeps the change as a proposal and offers him for entry.
    "workforce:person_create": (_foreign_form("workforce:person_create"), 302),
    "workforce:collect": (_foreign_form("workforce:collect"), 302),
    # Not on B's roster: his page does not exist for B.
    "workforce:person_edit": (_foreign_edit, 404),
    # Answered with the proposal it made (proposalId, message); B's card is B's own.
    "api: POST /api/v1/projects/{id}/persons": (_foreign_api, 200),
    # The batch import only enters persons; the preview reports the name that does not match.
    "workforce:import": (_foreign_import, 302),
}
