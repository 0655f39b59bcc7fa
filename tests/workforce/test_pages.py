"""花名册 pages: list, export, exit, the wizard through plain requests, person detail and images."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from enterprises.services import enter_unit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import CorpType, PersonCategory, TeamType
from jmzhgd.core.models import AuditLog, ManagementPost, WorkType
from tests.factories import (
    ContractFactory,
    EnterpriseFactory,
    PersonFactory,
    RosterEntryFactory,
    TeamFactory,
    UnitFactory,
    id_number,
)
from workforce.models import RosterEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(project):
    return TeamFactory(unit=UnitFactory(project=project), entry_date=date(2026, 3, 2))


def jpeg_bytes(size=(30, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "gray").save(out, "JPEG")
    return out.getvalue()


def roster_url(project, **query):
    from urllib.parse import urlencode

    url = reverse("workforce:roster", kwargs={"project_id": project.pk})
    return f"{url}?{urlencode(query)}" if query else url


def test_roster_query_count_does_not_grow_with_rows(project_client, project, team):
    def queries_for_rows(n):
        for _ in range(n):
            entry = RosterEntryFactory(team=team, work_type=WorkType.objects.first())
            entry.person.photo.save("p.jpg", ContentFile(jpeg_bytes()))
            ContractFactory(roster_entry=entry)
        with CaptureQueriesContext(connection) as captured:
            response = project_client.get(roster_url(project))
        assert response.status_code == 200
        return len(captured)

    assert queries_for_rows(2) == queries_for_rows(15)


def test_roster_filters_by_id_tail_status_and_contract(project_client, project, team):
    on_site = RosterEntryFactory(team=team)
    gone = RosterEntryFactory(team=team, exit_date=date(2026, 3, 20))
    ContractFactory(roster_entry=gone)
    tail = on_site.person.id_number[-4:]
    page = project_client.get(roster_url(project, q=tail)).content.decode()
    assert on_site.person.name in page
    on = project_client.get(roster_url(project, status="on")).content.decode()
    assert on_site.person.name in on and gone.person.name not in on
    signed = project_client.get(roster_url(project, contract="signed")).content.decode()
    assert gone.person.name in signed and on_site.person.name not in signed
    assert on_site.person.id_number not in page


def test_roster_export_keeps_formula_text_as_text_and_masks_ids(project_client, project, team):
    person = PersonFactory(name='=HYPERLINK("http://evil","点我")')
    RosterEntryFactory(team=team, person=person)
    response = project_client.get(reverse("workforce:roster_export", kwargs={"project_id": project.pk}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    cell = sheet.cell(row=3, column=1)
    assert cell.data_type == "s" and cell.value.lstrip("'") == person.name
    assert rows[0][2] == person.id_number_masked and person.id_number not in str(rows)
    assert AuditLog.objects.filter(action="roster.export", project=project).exists()


def test_roster_export_with_full_ids_is_an_audited_reveal(project_client, project, team):
    entry = RosterEntryFactory(team=team)
    url = reverse("workforce:roster_export", kwargs={"project_id": project.pk})
    response = project_client.get(url, {"full_ids": "1"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet.cell(row=3, column=3)
    assert cell.value == entry.person.id_number and cell.data_type == "s"
    reveal = AuditLog.objects.get(action="person.reveal_id", project=project)
    assert "含完整证件号码" in reveal.summary
    assert "导出（含完整证件号码）" in project_client.get(roster_url(project)).content.decode()


def test_exit_page_refuses_an_exit_before_entry(project_client, project, team):
    entry = RosterEntryFactory(team=team, entry_date=date(2026, 3, 10))
    url = reverse("workforce:exit", kwargs={"project_id": project.pk, "entry_id": entry.pk})
    response = project_client.post(url, {"exit_date": "2026-03-09"})
    assert response.status_code == 200 and "不能早于进场日期" in response.content.decode()
    entry.refresh_from_db()
    assert entry.is_on_site
    assert project_client.post(url, {"exit_date": "2026-03-12"}).status_code == 302
    entry.refresh_from_db()
    assert entry.exit_date == date(2026, 3, 12)


def test_batch_exit_first_asks_the_date_then_exits_all(project_client, project, team):
    entries = [RosterEntryFactory(team=team) for _ in range(3)]
    url = reverse("workforce:batch_exit", kwargs={"project_id": project.pk})
    ids = [e.pk for e in entries[:2]]
    response = project_client.post(url, {"ids": ids})
    assert response.status_code == 200 and "批量退场（2 人）" in response.content.decode()
    assert project_client.post(url, {"ids": ids, "exit_date": "2026-03-20"}).status_code == 302
    assert RosterEntry.objects.on_site().get() == entries[2]


def test_batch_exit_ignores_another_projects_entries(project_client, project, other_project):
    foreign = RosterEntryFactory(team__unit__project=other_project)
    url = reverse("workforce:batch_exit", kwargs={"project_id": project.pk})
    project_client.post(url, {"ids": [foreign.pk], "exit_date": "2026-03-20"})
    foreign.refresh_from_db()
    assert foreign.is_on_site


def test_another_projects_person_detail_is_404(project_client, project, other_project):
    foreign = RosterEntryFactory(team__unit__project=other_project)
    for name in ("workforce:person_detail", "workforce:person_edit"):
        url = reverse(name, kwargs={"project_id": project.pk, "person_id": foreign.person_id})
        assert project_client.get(url).status_code == 404
    image = reverse(
        "workforce:person_image",
        kwargs={"project_id": project.pk, "person_id": foreign.person_id, "image_kind": "photo"},
    )
    assert project_client.get(image).status_code == 404


def test_person_detail_shows_the_masked_id_and_the_reveal_is_audited(supervisor_client, project, team):
    entry = RosterEntryFactory(team=team)
    person = entry.person
    detail = reverse("workforce:person_detail", kwargs={"project_id": project.pk, "person_id": person.pk})
    page = supervisor_client.get(detail).content.decode()
    assert person.id_number_masked in page and person.id_number not in page
    reveal = reverse("workforce:person_reveal", kwargs={"project_id": project.pk, "person_id": person.pk})
    response = supervisor_client.post(reveal)
    assert person.id_number in response.content.decode() and "no-store" in response["Cache-Control"]
    log = AuditLog.objects.get(action="person.reveal_id")
    assert log.project == project and log.object_id == str(person.pk) and person.id_number not in log.summary


def test_person_detail_shows_the_age_and_the_birth_date_only_beside_the_revealed_number(
    project_client, project, team
):
    # 4 + 4 mask + birth date = 16 of 18 digits, and the check digit gives the 17th.
    person = RosterEntryFactory(team=team, person__id_number="11010519491231002X").person
    args = {"project_id": project.pk, "person_id": person.pk}
    page = project_client.get(reverse("workforce:person_detail", kwargs=args)).content.decode()
    assert f"{person.age}岁" in page and "年龄" in page
    assert "1949-12-31" not in page and "出生日期" not in page and "110105" not in page
    revealed = project_client.post(reverse("workforce:person_reveal", kwargs=args)).content.decode()
    assert "1949-12-31" in revealed and person.id_number in revealed


def test_wizard_keeps_the_selection_across_pages_and_enters_everyone(project_client, project, team, settings):
    settings.PAGE_SIZE = 2
    persons = [PersonFactory(name=f"测试{i}", id_number=id_number(birth=date(1990, 1, 1))) for i in range(4)]
    step1 = reverse("workforce:enter", kwargs={"project_id": project.pk})
    page1 = [p.pk for p in persons[:2]]
    project_client.post(step1, {"shown": page1, "ids": page1[:1], "goto": "2"})
    page2 = [p.pk for p in persons[2:]]
    response = project_client.post(step1, {"shown": page2, "ids": page2, "next": "1"})
    assert response.status_code == 302 and response["Location"].endswith("/roster/enter/details/")
    step2 = reverse("workforce:enter_details", kwargs={"project_id": project.pk})
    assert "进场人员（3 人）" in project_client.get(step2).content.decode()
    rebar = WorkType.objects.get(name="钢筋工")
    response = project_client.post(
        step2,
        {
            "category": "worker",
            "unit": team.unit_id,
            "team": team.pk,
            "work_type": rebar.pk,
            "entry_date": "2026-03-10",
        },
    )
    assert response.status_code == 302
    assert set(RosterEntry.objects.values_list("person_id", flat=True)) == {persons[0].pk, *page2}


def test_wizard_refusal_names_the_person_and_enters_nobody(project_client, project, team):
    good = PersonFactory(id_number=id_number(birth=date(1990, 1, 1)))
    already = RosterEntryFactory(team=team).person
    step1 = reverse("workforce:enter", kwargs={"project_id": project.pk})
    project_client.post(step1, {"shown": [good.pk, already.pk], "ids": [good.pk, already.pk]})
    step2 = reverse("workforce:enter_details", kwargs={"project_id": project.pk})
    response = project_client.post(
        step2,
        {
            "category": "worker",
            "unit": team.unit_id,
            "team": team.pk,
            "work_type": WorkType.objects.first().pk,
            "entry_date": "2026-03-10",
        },
    )
    page = response.content.decode()
    assert (
        response.status_code == 200
        and f"{already.name}（{already.id_number_masked}）：已在本项目在场" in page
    )
    assert not RosterEntry.objects.filter(person=good).exists()


def test_entry_options_offer_only_the_posts_of_the_units_type(project_client, project):
    supervision = enter_unit(
        Actor.system(), project, EnterpriseFactory(), CorpType.SUPERVISION, date(2026, 3, 1)
    )
    contractor = enter_unit(
        Actor.system(), project, EnterpriseFactory(), CorpType.GENERAL_CONTRACTOR, date(2026, 3, 1)
    )
    url = reverse("workforce:entry_options", kwargs={"project_id": project.pk})

    def options(unit):
        return project_client.get(url, {"unit": unit.pk, "category": PersonCategory.MANAGER}).json()

    chief = ManagementPost.objects.get(name="总监理工程师")
    assert chief.name in [p["name"] for p in options(supervision)["posts"]]
    assert chief.name not in [p["name"] for p in options(contractor)["posts"]]
    assert options(contractor)["teams"] == [
        {"id": contractor.teams.get(team_type=TeamType.MANAGEMENT).pk, "name": "总承包单位项目部"}
    ]


def test_a_supervisor_cannot_open_the_wizard(supervisor_client, project):
    assert (
        supervisor_client.get(reverse("workforce:enter", kwargs={"project_id": project.pk})).status_code
        == 403
    )


def test_person_detail_shows_history_in_scope_contracts_and_thirty_days_of_attendance(
    project_client, project, other_project, team
):
    from datetime import timedelta

    from django.utils import timezone

    from attendance.models import DailySummary

    entry = RosterEntryFactory(team=team)
    person = entry.person
    RosterEntryFactory(team__unit__project=other_project, person=person)
    ContractFactory(roster_entry=entry, start_date=date(2026, 3, 4))
    today = timezone.localdate()
    DailySummary.objects.create(
        project=project, person=person, work_date=today - timedelta(days=3), punch_count=4, is_present=True
    )
    DailySummary.objects.create(
        project=project, person=person, work_date=today - timedelta(days=45), punch_count=2, is_present=True
    )
    url = reverse("workforce:person_detail", kwargs={"project_id": project.pk, "person_id": person.pk})
    page = project_client.get(url).content.decode()
    assert project.name in page and other_project.name not in page
    assert "2026-03-04" in page
    assert (
        f"{today - timedelta(days=3):%Y-%m-%d}" in page
        and f"{today - timedelta(days=45):%Y-%m-%d}" not in page
    )
