"""人员进场 of a worker on site in another project: warned on ticking (step 1) and again before the
entry (a warning to confirm), with the other project masked to its district and 项目分类."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import District, ProjectCategory
from jmzhgd.core.models import WorkType
from tests.factories import (
    PersonFactory,
    ProjectFactory,
    RosterEntryFactory,
    TeamFactory,
    UnitFactory,
    id_number,
)
from workforce.models import RosterEntry
from workforce.services import EntryRefused, EntryRequest, check_entries, enter_persons

pytestmark = pytest.mark.django_db
WARNING = "该工人目前在蓬江区某房屋建筑工程项目在场"


@pytest.fixture
def team(project):
    return TeamFactory(unit=UnitFactory(project=project), entry_date=date(2026, 3, 2))


@pytest.fixture
def busy(other_project):
    """A worker on site in 乙项目 (蓬江区, 房屋建筑工程)."""
    other_project.district, other_project.category = District.PENGJIANG, ProjectCategory.BUILDING
    other_project.save()
    person = PersonFactory(id_number=id_number(birth=date(1990, 1, 1)))
    RosterEntryFactory(person=person, team=TeamFactory(unit=UnitFactory(project=other_project)))
    return person


def request_for(person, team):
    return EntryRequest(
        person=person,
        unit=team.unit,
        team=team,
        category="worker",
        work_type=WorkType.objects.get(name="钢筋工"),
        entry_date=date(2026, 3, 10),
    )


def test_entry_of_a_worker_on_site_elsewhere_is_a_warning_to_confirm(project, team, busy, other_project):
    check = check_entries(project, [request_for(busy, team)])
    assert check.ok and check.warning_messages() == [f"{busy}：{WARNING}，请确认。"]
    assert other_project.name not in check.warning_messages()[0]
    with pytest.raises(EntryRefused):
        enter_persons(Actor.system("测试"), project, [request_for(busy, team)])
    assert enter_persons(Actor.system("测试"), project, [request_for(busy, team)], confirm_warnings=True)


def test_an_exited_stay_elsewhere_or_a_stay_in_this_project_is_not_warned(project, team, other_project):
    person = PersonFactory(id_number=id_number(birth=date(1990, 1, 1)))
    RosterEntryFactory(
        person=person, team=TeamFactory(unit=UnitFactory(project=other_project)), exit_date=date(2026, 3, 5)
    )
    assert check_entries(project, [request_for(person, team)]).warnings == {}


def test_two_other_projects_are_both_named_by_district_and_category(project, team, busy):
    xinhui = ProjectFactory(district=District.XINHUI, category=ProjectCategory.MUNICIPAL)
    RosterEntryFactory(person=busy, team=TeamFactory(unit=UnitFactory(project=xinhui)))
    [message] = check_entries(project, [request_for(busy, team)]).warning_messages()
    assert "该工人目前在蓬江区某房屋建筑工程项目、新会区某市政公用工程项目在场" in message


def test_ticking_a_worker_on_site_elsewhere_shows_the_warning_before_entry(
    project_client, project, team, busy, other_project
):
    step1 = reverse("workforce:enter", kwargs={"project_id": project.pk})
    page = project_client.get(step1, {"q": busy.name}).content.decode()
    badge = page.split('data-testid="elsewhere">', 1)[1].split("<", 1)[0]
    assert badge == WARNING and other_project.name not in page
    project_client.post(step1, {"shown": [busy.pk], "ids": [busy.pk]})
    page = project_client.get(step1).content.decode()
    assert f"（{WARNING}）" in page.split('data-testid="selected-list"', 1)[1]

    step2 = reverse("workforce:enter_details", kwargs={"project_id": project.pk})
    form = {
        "category": "worker",
        "unit": team.unit_id,
        "team": team.pk,
        "work_type": WorkType.objects.get(name="钢筋工").pk,
        "entry_date": "2026-03-10",
    }
    response = project_client.post(step2, form)
    assert response.status_code == 200 and WARNING in response.content.decode()
    assert not RosterEntry.objects.filter(project=project).exists()
    response = project_client.post(step2, {**form, "confirm_warnings": "1"})
    assert response.status_code == 302 and RosterEntry.objects.filter(project=project, person=busy).exists()
