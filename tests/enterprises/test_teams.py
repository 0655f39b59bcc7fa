"""班组 (docs/requirements.md §6.3): adding, editing, exit with workers, deletion, and the locked 管理人员班组."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from enterprises import services
from enterprises.models import Team
from enterprises.services import enter_unit, exit_unit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import CorpType, TeamType
from jmzhgd.core.models import AuditLog
from tests.factories import EnterpriseFactory, RosterEntryFactory, TeamFactory, id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(project):
    return enter_unit(Actor.system(), project, EnterpriseFactory(), CorpType.LABOUR_SUB, date(2026, 3, 1))


@pytest.fixture
def management_team(unit):
    return unit.teams.management().get()


def team_data(unit, **fields):
    data = {
        "unit": unit.pk,
        "team_type": TeamType.WORKER,
        "name": "钢筋一班",
        "leader_name": "黄班长",
        "leader_phone": "13800138000",
        "entry_date": "2026-03-02",
    }
    data.update(fields)
    return data


def add(client, project, unit, **fields):
    return client.post(reverse("enterprises:team_add", args=[project.pk]), team_data(unit, **fields))


def test_adding_a_worker_team_into_a_unit_on_site(project_client, project, unit):
    leader, responsible = id_number(), id_number()
    response = add(project_client, project, unit, leader_id_number=leader, responsible_id_number=responsible)
    team = Team.objects.get(name="钢筋一班")
    assert response["Location"] == reverse("enterprises:team_detail", args=[project.pk, team.pk])
    assert team.project == project and team.team_type == TeamType.WORKER
    assert team.leader_id_number == leader and team.responsible_id_number_digest
    assert AuditLog.objects.filter(action="team.enter", object_id=str(team.pk)).exists()
    assert leader not in project_client.get(response["Location"]).content.decode()


def test_a_duplicate_team_name_within_the_unit_is_refused_in_chinese(project_client, project, unit):
    add(project_client, project, unit)
    response = add(project_client, project, unit, team_type=TeamType.OTHER)
    assert "已有名为“钢筋一班”的班组，班组名称不能重复" in response.content.decode()
    assert Team.objects.filter(name="钢筋一班").count() == 1
    other_unit = enter_unit(
        Actor.system(), project, EnterpriseFactory(), CorpType.PROFESSIONAL_SUB, date(2026, 3, 1)
    )
    add(project_client, project, other_unit)
    assert Team.objects.filter(name="钢筋一班").count() == 2  # unique within a unit only


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"entry_date": "2026-02-28"}, "班组进场日期（2026-02-28）不能早于参建单位进场日期（2026-03-01）"),
        ({"entry_date": "FUTURE"}, "进场日期不能晚于今天"),
        ({"team_type": TeamType.MANAGEMENT}, "只能添加建筑工人班组或其他人员班组"),
        ({"leader_id_number": "44070319900101123"}, "身份证号码应为18位"),
        ({"responsible_phone": "999"}, "联系电话应为11位手机号码"),
        ({"name": " "}, "请填写班组名称"),
        ({"leader_name": ""}, "请填写班组长姓名"),
    ],
)
def test_adding_a_team_with_bad_input_names_the_problem(project_client, project, unit, fields, message):
    if fields.get("entry_date") == "FUTURE":
        fields["entry_date"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = add(project_client, project, unit, **fields)
    assert message in response.content.decode()
    assert not Team.objects.normal().exists()


def test_a_team_cannot_be_added_to_a_unit_that_has_exited(project_client, project, unit):
    exit_unit(Actor.system(), unit, date(2026, 3, 10))
    page = project_client.get(reverse("enterprises:team_add", args=[project.pk])).content.decode()
    assert unit.enterprise.name not in page
    response = add(project_client, project, unit)
    assert "只能选择本项目在场的参建单位" in response.content.decode()
    with pytest.raises(ValidationError, match="已退场，不能添加班组"):
        services.add_team(Actor.system(), unit, "木工班", TeamType.WORKER, date(2026, 3, 11))


def test_a_unit_of_another_project_cannot_be_chosen(project_client, project, other_project):
    foreign = enter_unit(
        Actor.system(), other_project, EnterpriseFactory(), CorpType.LABOUR_SUB, date(2026, 3, 1)
    )
    response = add(project_client, project, foreign)
    assert "只能选择本项目在场的参建单位" in response.content.decode()
    assert not Team.objects.normal().exists()


def test_the_management_team_has_no_edit_exit_or_delete_buttons(project_client, project, management_team):
    page = project_client.get(
        reverse("enterprises:team_detail", args=[project.pk, management_team.pk])
    ).content.decode()
    for name in ("team_edit", "team_exit", "team_delete"):
        assert reverse(f"enterprises:{name}", args=[project.pk, management_team.pk]) not in page
    listing = project_client.get(reverse("enterprises:team_list", args=[project.pk])).content.decode()
    assert reverse("enterprises:team_edit", args=[project.pk, management_team.pk]) not in listing


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("team_edit", {"name": "改名的项目部", "team_type": TeamType.OTHER, "leader_name": "某人"}),
        ("team_exit", {"day": "2026-04-01"}),
        ("team_delete", {}),
        ("team_reenter", {"day": "2026-04-01"}),
    ],
)
def test_a_crafted_post_against_the_management_team_is_refused(
    project_client, project, management_team, name, data
):
    response = project_client.post(
        reverse(f"enterprises:{name}", args=[project.pk, management_team.pk]), data, follow=True
    )
    assert "管理人员班组由系统按参建单位类型自动产生" in response.content.decode()
    management_team.refresh_from_db()
    assert management_team.name == "劳务分包项目部" and management_team.is_on_site


@pytest.mark.parametrize("action", ["update", "exit", "delete", "reenter"])
def test_the_team_actions_themselves_refuse_the_management_team(management_team, action):
    calls = {
        "update": lambda: services.update_team(Actor.system(), management_team, {"name": "x"}),
        "exit": lambda: services.exit_team(Actor.system(), management_team, date(2026, 4, 1)),
        "delete": lambda: services.delete_team(Actor.system(), management_team),
        "reenter": lambda: services.reenter_team(Actor.system(), management_team, date(2026, 4, 1)),
    }
    with pytest.raises(ValidationError, match="管理人员班组"):
        calls[action]()
    assert Team.objects.filter(pk=management_team.pk, exit_date__isnull=True).exists()


def test_the_management_team_follows_its_units_exit(unit, management_team):
    exit_unit(Actor.system(), unit, date(2026, 4, 1))
    management_team.refresh_from_db()
    assert management_team.exit_date == date(2026, 4, 1)


def test_a_worker_team_may_become_an_other_team_but_not_back(project_client, project, unit):
    team = TeamFactory(unit=unit)
    url = reverse("enterprises:team_edit", args=[project.pk, team.pk])
    project_client.post(url, {"name": team.name, "team_type": TeamType.OTHER, "leader_name": "黄班长"})
    team.refresh_from_db()
    assert team.team_type == TeamType.OTHER
    response = project_client.post(
        url, {"name": team.name, "team_type": TeamType.WORKER, "leader_name": "黄班长"}
    )
    assert "班组类型只能由建筑工人班组改为其他人员班组" in response.content.decode()
    team.refresh_from_db()
    assert team.team_type == TeamType.OTHER
    with pytest.raises(ValidationError, match="只能由建筑工人班组改为其他人员班组"):
        services.update_team(Actor.system(), team, {"team_type": TeamType.WORKER})


def test_a_team_with_workers_on_site_keeps_its_worker_type(project, unit):
    team = TeamFactory(unit=unit)
    RosterEntryFactory(team=team)
    with pytest.raises(ValidationError, match="仍有在场的建筑工人"):
        services.update_team(Actor.system(), team, {"team_type": TeamType.OTHER})


def test_renaming_a_team_to_a_name_taken_in_its_unit_is_refused(project_client, project, unit):
    TeamFactory(unit=unit, name="木工班")
    team = TeamFactory(unit=unit, name="钢筋班")
    response = project_client.post(
        reverse("enterprises:team_edit", args=[project.pk, team.pk]),
        {"name": "木工班", "team_type": TeamType.WORKER, "leader_name": "黄班长"},
    )
    assert "班组名称不能重复" in response.content.decode()
    team.refresh_from_db()
    assert team.name == "钢筋班"


def test_a_team_exit_exits_its_workers_in_the_same_step(project_client, project, unit):
    team = TeamFactory(unit=unit, entry_date=date(2026, 3, 2))
    RosterEntryFactory.create_batch(3, team=team, entry_date=date(2026, 3, 3))
    url = reverse("enterprises:team_exit", args=[project.pk, team.pk])
    assert "<strong>3</strong> 名人员" in project_client.get(url).content.decode()
    response = project_client.post(url, {"day": "2026-04-01"}, follow=True)
    assert "3 名人员随同退场" in response.content.decode()
    team.refresh_from_db()
    assert team.exit_date == date(2026, 4, 1)
    assert not team.roster.filter(exit_date__isnull=True).exists()
    assert unit.teams.management().get().is_on_site  # only this team left


def test_a_team_exit_before_its_entry_or_in_the_future_is_refused(project_client, project, unit):
    team = TeamFactory(unit=unit, entry_date=date(2026, 3, 2))
    url = reverse("enterprises:team_exit", args=[project.pk, team.pk])
    assert "不能早于班组进场日期" in project_client.post(url, {"day": "2026-03-01"}).content.decode()
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "退场日期不能晚于今天" in project_client.post(url, {"day": future}).content.decode()
    team.refresh_from_db()
    assert team.is_on_site


def test_a_team_that_ever_had_a_worker_cannot_be_deleted(project_client, project, unit):
    team = TeamFactory(unit=unit)
    RosterEntryFactory(team=team, exit_date=date(2026, 3, 10))
    response = project_client.post(
        reverse("enterprises:team_delete", args=[project.pk, team.pk]), follow=True
    )
    assert "只能退场，不能删除" in response.content.decode()
    assert Team.objects.filter(pk=team.pk).exists()


def test_an_empty_team_can_be_deleted(project_client, project, unit):
    team = TeamFactory(unit=unit)
    project_client.post(reverse("enterprises:team_delete", args=[project.pk, team.pk]))
    assert not Team.objects.filter(pk=team.pk).exists()
    assert AuditLog.objects.filter(action="team.delete", object_id=str(team.pk)).exists()


def test_an_exited_team_re_enters_only_while_its_unit_is_on_site(project, unit):
    team = TeamFactory(unit=unit, entry_date=date(2026, 3, 2))
    services.exit_team(Actor.system(), team, date(2026, 3, 10))
    with pytest.raises(ValidationError, match="不能早于上次退场日期"):
        services.reenter_team(Actor.system(), team, date(2026, 3, 5))
    services.reenter_team(Actor.system(), team, date(2026, 3, 12))
    team.refresh_from_db()
    assert team.is_on_site and team.entry_date == date(2026, 3, 12)
    exit_unit(Actor.system(), unit, date(2026, 3, 20))
    with pytest.raises(ValidationError, match="已退场，不能添加班组"):
        services.reenter_team(Actor.system(), team, date(2026, 3, 25))


def test_another_projects_team_is_not_found_under_ones_own_project(client, unit, other_project, other_user):
    team = TeamFactory(unit=unit)
    client.force_login(other_user)
    assert client.get(reverse("enterprises:team_detail", args=[other_project.pk, team.pk])).status_code == 404
    assert (
        client.post(
            reverse("enterprises:team_exit", args=[other_project.pk, team.pk]), {"day": "2026-04-01"}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("enterprises:team_delete", args=[other_project.pk, team.pk])).status_code == 404
    )
    assert Team.objects.filter(pk=team.pk, exit_date__isnull=True).exists()


def test_the_team_list_filters_and_exports_the_same_rows(project_client, project, unit):
    from io import BytesIO

    from openpyxl import load_workbook

    TeamFactory(unit=unit, name="钢筋班", team_type=TeamType.WORKER)
    TeamFactory(unit=unit, name="保洁组", team_type=TeamType.OTHER)
    params = {"team_type": TeamType.WORKER}
    page = project_client.get(reverse("enterprises:team_list", args=[project.pk]), params).content.decode()
    assert "钢筋班" in page and "保洁组" not in page and "劳务分包项目部" not in page
    response = project_client.get(reverse("enterprises:team_export", args=[project.pk]), params)
    rows = list(
        load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[1][:4] == ("班组名称", "所属参建单位", "班组类型", "班组长")
    assert [row[0] for row in rows[2:]] == ["钢筋班"]


def test_the_team_list_needs_no_query_per_row(project_client, project, unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("enterprises:team_list", args=[project.pk])
    RosterEntryFactory(team=TeamFactory(unit=unit))
    with CaptureQueriesContext(connection) as few:
        project_client.get(url)
    for _ in range(6):
        RosterEntryFactory(team=TeamFactory(unit=unit))
    with CaptureQueriesContext(connection) as many:
        response = project_client.get(url)
    assert len(many) == len(few)
    assert [row.record.members_on_site for row in response.context["table"].rows][-1] == 1


def test_the_management_teams_responsible_person_follows_the_units_project_manager(
    project_client, project, unit
):
    number = id_number()
    project_client.post(
        reverse("enterprises:unit_edit", args=[project.pk, unit.pk]),
        {"pm_name": "新负责人", "pm_phone": "13900139000", "pm_id_number": number},
    )
    team = unit.teams.management().get()
    assert (team.responsible_name, team.responsible_id_number) == ("新负责人", number)
    assert team.responsible_id_number_masked.endswith(number[-4:])


def test_the_management_teams_lock_is_said_once_when_its_edit_url_is_opened(
    project_client, project, management_team
):
    response = project_client.get(
        reverse("enterprises:team_edit", args=[project.pk, management_team.pk]), follow=True
    )
    assert response.content.decode().count("管理人员班组由系统按参建单位类型自动产生") == 1


def test_why_delete_is_disabled_is_visible_text_beside_the_button(project_client, project, unit):
    team = TeamFactory(unit=unit)
    RosterEntryFactory(team=team)
    page = project_client.get(reverse("enterprises:team_detail", args=[project.pk, team.pk])).content.decode()
    assert (
        'id="delete-reason" data-testid="delete-reason">已有人员进场记录，只能退场，不能删除</span>' in page
    )
    assert 'title="只能退场，不能删除"' not in page
    assert 'disabled aria-describedby="delete-reason"' in page
