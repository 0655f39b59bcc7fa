"""Every entry path asks for the training (training.gate through workforce's one check): the wizard,
the batch import, 采集 and the API, warned under "warn" and refused under "require"."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import PersonCategory
from jmzhgd.core.models import WorkType
from tests.api.conftest import error_of, make_signed
from tests.factories import PersonFactory, id_number
from tests.workforce.fixtures.site import PERSONS, build_site, row, workbook_bytes
from training.models import TrainingType
from workforce import imports
from workforce.collection import upsert_and_enter
from workforce.models import PersonSource, RosterEntry
from workforce.services import EntryRefused, EntryRequest

from .conftest import make_training

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试")


def test_the_wizard_warns_then_enters_on_confirmation(settings, project_client, project, team):
    settings.ENTRY_CHECKS = "warn"
    person = PersonFactory(id_number=id_number(birth=date(1990, 1, 1)))
    project_client.post(
        reverse("workforce:enter", kwargs={"project_id": project.pk}),
        {"shown": [person.pk], "ids": [person.pk]},
    )
    step2 = reverse("workforce:enter_details", kwargs={"project_id": project.pk})
    data = {
        "category": "worker",
        "unit": team.unit_id,
        "team": team.pk,
        "work_type": WorkType.objects.get(name="钢筋工").pk,
        "entry_date": "2026-03-10",
    }
    page = project_client.post(step2, data)
    assert page.status_code == 200 and "未参加安全教育或入场教育" in page.content.decode()
    assert not RosterEntry.objects.exists()
    assert project_client.post(step2, {**data, "confirm_warnings": "1"}).status_code == 302
    assert RosterEntry.objects.filter(person=person).exists()


def test_the_batch_import_refuses_the_untrained_row_under_require(settings, project):
    settings.ENTRY_CHECKS = "require"
    from django.core.files.uploadedfile import SimpleUploadedFile

    site = build_site(project)
    trained = site.persons["王秀英"]
    make_training(project, [trained], day=date(2026, 3, 5), kind=TrainingType.ENTRY)
    rows = [row("李建国", PERSONS["李建国"]), row("王秀英", PERSONS["王秀英"])]
    batch = imports.create_preview(ACTOR, project, SimpleUploadedFile("进场.xlsx", workbook_bytes(rows)))
    by_row = {item["row"]: item for item in batch.report}
    first, second = sorted(by_row)
    assert any("未参加安全教育或入场教育" in reason for _, reason in by_row[first]["errors"])
    assert not by_row[second]["errors"]
    imports.commit_batch(ACTOR, batch, confirm_warnings=True)  # the rows without errors enter
    assert list(RosterEntry.objects.values_list("person_id", flat=True)) == [trained.pk]


def test_collection_with_entry_is_refused_under_require(settings, project, team):
    settings.ENTRY_CHECKS = "require"
    data = {"name": "采集工人", "id_number": id_number(birth=date(1990, 1, 1))}

    def requests_for(person):
        return [
            EntryRequest(
                person=person,
                unit=team.unit,
                team=team,
                category=PersonCategory.WORKER,
                work_type=WorkType.objects.get(name="钢筋工"),
                entry_date=date(2026, 3, 10),
            )
        ]

    with pytest.raises(EntryRefused, match="不能进场"):
        upsert_and_enter(ACTOR, project, data, source=PersonSource.WEB, requests_for=requests_for)
    assert not RosterEntry.objects.exists()


def test_the_api_asks_for_confirm_warnings_then_enters(settings, client, project, team):
    settings.ENTRY_CHECKS = "warn"
    signed = make_signed(client, project)
    entry = {
        "teamId": team.pk,
        "workType": WorkType.objects.get(name="钢筋工").code,
        "entryDate": "2026-03-05",
    }
    payload = {"workerName": "赵六", "idCardNumber": id_number(birth=date(1990, 6, 1)), "entry": entry}
    response = signed.post(f"/api/v1/projects/{project.pk}/persons", payload)
    assert response.status_code == 422 and "未参加安全教育或入场教育" in error_of(response)["message"]
    entry["confirmWarnings"] = True
    assert signed.post(f"/api/v1/projects/{project.pk}/persons", payload).status_code == 200
    settings.ENTRY_CHECKS = "require"
    payload["idCardNumber"] = id_number(birth=date(1991, 6, 1))
    response = signed.post(f"/api/v1/projects/{project.pk}/persons", payload)
    assert response.status_code == 422 and "不能进场" in error_of(response)["message"]
