"""The shared entry action (workforce.services.check_entries / enter_persons): one test per rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises.services import enter_unit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import CorpType, PersonCategory, TeamType
from jmzhgd.core.models import AuditLog, ManagementPost, WorkType
from tests.factories import (
    EnterpriseFactory,
    PersonFactory,
    RosterEntryFactory,
    TeamFactory,
    UnitFactory,
    id_number,
)
from workforce.models import RosterEntry
from workforce.services import EntryRefused, EntryRequest, check_entries, enter_persons

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试")


@pytest.fixture
def team(project):
    return TeamFactory(unit=UnitFactory(project=project), entry_date=date(2026, 3, 2))


@pytest.fixture
def rebar():
    return WorkType.objects.get(name="钢筋工")


def worker(person, team, work_type, **kwargs):
    kwargs.setdefault("entry_date", date(2026, 3, 10))
    return EntryRequest(
        person=person,
        unit=team.unit,
        team=team,
        category=PersonCategory.WORKER,
        work_type=work_type,
        **kwargs,
    )


def adult(**kwargs):
    return PersonFactory(id_number=id_number(birth=date(1990, 5, 1), **kwargs))


def test_a_valid_worker_enters_with_one_audit_row(project, team, rebar):
    person = adult()
    [entry] = enter_persons(ACTOR, project, [worker(person, team, rebar)])
    assert entry.is_on_site and entry.work_type == rebar and entry.team == team
    assert (
        AuditLog.objects.filter(action="roster.enter", object_id=str(entry.pk), project=project).count() == 1
    )


def test_a_second_entry_while_on_site_is_refused(project, team, rebar):
    person = adult()
    enter_persons(ACTOR, project, [worker(person, team, rebar)])
    with pytest.raises(EntryRefused) as refused:
        enter_persons(ACTOR, project, [worker(person, team, rebar)])
    assert f"{person.name}（{person.id_number_masked}）：已在本项目在场" in refused.value.messages[0]
    assert RosterEntry.objects.filter(person=person).count() == 1


def test_the_same_person_twice_in_one_list_is_refused(project, team, rebar):
    person = adult()
    check = check_entries(project, [worker(person, team, rebar), worker(person, team, rebar)])
    assert list(check.errors) == [1] and "重复" in check.errors[1][0]


def test_one_refused_person_means_nobody_enters_and_the_refused_one_is_named(project, team, rebar):
    good, child = (
        adult(),
        PersonFactory(id_number=id_number(birth=timezone.localdate() - timedelta(days=365 * 15))),
    )
    with pytest.raises(EntryRefused) as refused:
        enter_persons(
            ACTOR,
            project,
            [worker(good, team, rebar), worker(child, team, rebar, entry_date=timezone.localdate())],
        )
    assert refused.value.check.errors.keys() == {1}
    assert child.name in refused.value.check.errors[1][0] and "未满16周岁" in refused.value.check.errors[1][0]
    assert not RosterEntry.objects.exists()


def test_under_the_minimum_age_is_refused_on_the_entry_date(project, team, rebar):
    person = PersonFactory(id_number=id_number(birth=date(2010, 3, 11)))
    assert check_entries(project, [worker(person, team, rebar, entry_date=date(2026, 3, 10))]).errors
    assert check_entries(project, [worker(person, team, rebar, entry_date=date(2026, 3, 11))]).ok


def test_above_the_age_limit_warns_and_enters_only_when_confirmed(project, team, rebar, settings):
    settings.WORKER_MAX_AGE_FEMALE = 50
    person = PersonFactory(id_number=id_number(birth=date(1970, 1, 1), gender="1"))
    check = check_entries(project, [worker(person, team, rebar)])
    assert check.ok and "超过女性50岁" in check.warnings[0][0]
    with pytest.raises(EntryRefused):
        enter_persons(ACTOR, project, [worker(person, team, rebar)])
    assert enter_persons(ACTOR, project, [worker(person, team, rebar)], confirm_warnings=True)


def test_an_expired_id_warns(project, team, rebar):
    person = adult()
    person.id_valid_to = date(2026, 1, 1)
    check = check_entries(project, [worker(person, team, rebar)])
    assert check.ok and "证件已于2026-01-01过期" in check.warnings[0][0]


def test_a_worker_needs_a_work_type(project, team):
    check = check_entries(project, [worker(adult(), team, None)])
    assert "须选择工种" in check.errors[0][0]


def test_a_team_of_another_project_or_another_unit_is_refused(project, other_project, team, rebar):
    foreign = TeamFactory(unit=UnitFactory(project=other_project))
    request = worker(adult(), foreign, rebar)
    assert "不属于本项目" in check_entries(project, [request]).errors[0][0]
    mismatched = worker(adult(), team, rebar)
    mismatched.unit = UnitFactory(project=project)
    assert "不属于本项目" in check_entries(project, [mismatched]).errors[0][0]


def test_the_order_rules_of_units_and_teams_apply(project, team, rebar):
    team.exit_date = date(2026, 3, 5)
    team.save()
    assert "已退场" in check_entries(project, [worker(adult(), team, rebar)]).errors[0][0]
    other = TeamFactory(unit=team.unit, entry_date=date(2026, 3, 2))
    early = check_entries(project, [worker(adult(), other, rebar, entry_date=date(2026, 3, 1))])
    assert "不能早于" in early.errors[0][0]
    future = check_entries(
        project, [worker(adult(), other, rebar, entry_date=timezone.localdate() + timedelta(days=1))]
    )
    assert "不能晚于今天" in future.errors[0][0]


def test_a_worker_cannot_enter_a_management_team(project, rebar):
    unit = enter_unit(ACTOR, project, EnterpriseFactory(), CorpType.LABOUR_SUB, date(2026, 3, 1))
    management = unit.teams.get(team_type=TeamType.MANAGEMENT)
    check = check_entries(project, [worker(adult(), management, rebar)])
    assert "建筑工人只能进入建筑工人班组" in check.errors[0][0]


def test_a_manager_needs_a_post_offered_for_the_units_type(project):
    supervision = enter_unit(ACTOR, project, EnterpriseFactory(), CorpType.SUPERVISION, date(2026, 3, 1))
    contractor = enter_unit(
        ACTOR, project, EnterpriseFactory(), CorpType.GENERAL_CONTRACTOR, date(2026, 3, 1)
    )
    chief = ManagementPost.objects.get(name="总监理工程师")

    def manager(unit, post):
        team = unit.teams.get(team_type=TeamType.MANAGEMENT)
        return EntryRequest(
            person=adult(),
            unit=unit,
            team=team,
            category=PersonCategory.MANAGER,
            post=post,
            entry_date=date(2026, 3, 10),
        )

    assert check_entries(project, [manager(supervision, chief)]).ok
    wrong = check_entries(project, [manager(contractor, chief)])
    assert "不适用于总承包单位" in wrong.errors[0][0]
    assert "须选择岗位" in check_entries(project, [manager(supervision, None)]).errors[0][0]
    [entry] = enter_persons(ACTOR, project, [manager(supervision, chief)])
    assert entry.role_label == "总监理工程师" and entry.work_type is None


def test_re_entry_after_exit_is_a_new_entry_not_before_the_last_exit(project, team, rebar):
    person = adult()
    RosterEntryFactory(project=project, unit=team.unit, team=team, person=person, exit_date=date(2026, 3, 8))
    assert (
        "不能早于上次退场日期"
        in check_entries(project, [worker(person, team, rebar, entry_date=date(2026, 3, 7))]).errors[0][0]
    )
    enter_persons(ACTOR, project, [worker(person, team, rebar)])
    assert RosterEntry.objects.filter(person=person).count() == 2


def test_checking_many_requests_takes_a_constant_number_of_queries(project, team, rebar):
    def queries_for(n):
        requests = [worker(adult(), team, rebar) for _ in range(n)]
        with CaptureQueriesContext(connection) as captured:
            check_entries(project, requests)
        return len(captured)

    assert queries_for(2) == queries_for(40)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_entries_of_the_same_person_enter_once(project):
    import threading

    from django.db import connections

    team = TeamFactory(unit=UnitFactory(project=project), entry_date=date(2026, 3, 2))
    rebar = WorkType.objects.get_or_create(code="020", defaults={"name": "钢筋工"})[0]
    person = adult()
    barrier, outcomes = threading.Barrier(2), []

    def enter():
        try:
            barrier.wait()
            enter_persons(ACTOR, project, [worker(person, team, rebar)])
            outcomes.append("entered")
        except EntryRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enter) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["entered", "refused"]
    assert RosterEntry.objects.filter(person=person).count() == 1
