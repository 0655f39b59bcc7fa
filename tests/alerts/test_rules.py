"""Each alert rule: a case that opens it and a case that closes it (the cause gone)."""

from __future__ import annotations

import datetime
from datetime import date, timedelta

import pytest
from django.utils import timezone

from alerts.evaluation import AUTO_CLOSE_NOTE, evaluate
from alerts.models import Alert, AlertState
from attendance.models import DailySummary
from jmzhgd.core.codes import CorpType, Gender, PersonCategory, ProjectStatus, TeamType
from jmzhgd.core.models import AuditLog, ManagementPost
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 3, 30))


def run(rule, today=TODAY, now=NOW):
    return evaluate([rule], today=today, now=now)[rule]


def live(rule):
    return list(Alert.objects.filter(rule=rule, cleared_at__isnull=True))


def entry_with_contract(**kwargs):
    entry = factories.RosterEntryFactory(**kwargs)
    factories.ContractFactory(roster_entry=entry, start_date=entry.entry_date, end_date=date(2027, 12, 31))
    return entry


def old_project(**kwargs):
    project = factories.ProjectFactory(**kwargs)
    type(project).objects.filter(pk=project.pk).update(created_at=NOW - timedelta(days=30))
    return project


def test_project_without_attendance_for_three_days_opens_and_an_upload_closes_it():
    project = old_project()
    quiet_since = TODAY - timedelta(days=4)
    entry = entry_with_contract(team__unit__project=project)
    factories.PunchFactory(
        roster_entry=entry, punched_at=timezone.make_aware(datetime.datetime(2026, 6, 11, 8))
    )
    assert quiet_since == date(2026, 6, 11)
    assert run("no_attendance").opened == 1
    (alert,) = live("no_attendance")
    assert alert.project == project and alert.facts["最近考勤日期"] == "2026-06-11"

    factories.PunchFactory(
        roster_entry=entry, punched_at=timezone.make_aware(datetime.datetime(2026, 6, 14, 8))
    )
    assert run("no_attendance").closed == 1
    alert.refresh_from_db()
    assert alert.cleared_at == NOW and alert.state == AlertState.RESOLVED and alert.note == AUTO_CLOSE_NOTE


def test_a_completed_project_or_a_new_one_has_no_attendance_alert():
    old_project(status=ProjectStatus.COMPLETED)
    factories.ProjectFactory()  # created today: it has its grace days
    assert run("no_attendance").opened == 0


def test_worker_on_site_without_contract_opens_and_signing_closes_it():
    entry = factories.RosterEntryFactory(entry_date=TODAY)
    run("contract_missing")
    (alert,) = live("contract_missing")
    assert alert.subject_id == entry.person_id and alert.subject_label.startswith(entry.person.name)
    assert entry.person.id_number not in alert.subject_label  # masked
    factories.ContractFactory(roster_entry=entry, start_date=TODAY, end_date=date(2027, 1, 1))
    assert run("contract_missing").closed == 1


def test_exit_closes_the_contract_alert():
    entry = factories.RosterEntryFactory(entry_date=TODAY)
    run("contract_missing")
    type(entry).objects.filter(pk=entry.pk).update(exit_date=TODAY)
    assert run("contract_missing").closed == 1


def test_contract_expiring_within_30_days_or_expired_opens_and_renewal_closes_it():
    expiring = factories.RosterEntryFactory()
    factories.ContractFactory(roster_entry=expiring, end_date=TODAY + timedelta(days=20))
    expired = factories.RosterEntryFactory()
    factories.ContractFactory(roster_entry=expired, end_date=TODAY - timedelta(days=1))
    fine = factories.RosterEntryFactory()
    factories.ContractFactory(roster_entry=fine, end_date=TODAY + timedelta(days=31))
    run("contract_expiring")
    assert {a.subject_id for a in live("contract_expiring")} == {expiring.person_id, expired.person_id}

    factories.ContractFactory(roster_entry=expired, start_date=TODAY, end_date=TODAY + timedelta(days=365))
    assert run("contract_expiring").closed == 1
    assert {a.subject_id for a in live("contract_expiring")} == {expiring.person_id}


def test_id_card_expiring_opens_and_a_renewed_card_closes_it():
    entry = entry_with_contract()
    person = entry.person
    person.id_valid_to = TODAY + timedelta(days=10)
    person.save()
    run("id_expiring")
    (alert,) = live("id_expiring")
    assert alert.facts["证件有效期止"] == f"{TODAY + timedelta(days=10):%Y-%m-%d}"
    person.id_valid_to = TODAY + timedelta(days=3650)
    person.save()
    assert run("id_expiring").closed == 1


def _person(birth: date, gender: str):
    number = factories.id_number(birth=birth, gender=gender)
    return factories.PersonFactory(id_number=number)


def test_worker_over_the_age_limit_or_under_18_opens_and_exit_closes_it():
    man61 = factories.RosterEntryFactory(person=_person(date(1965, 6, 1), Gender.MALE))
    man60 = factories.RosterEntryFactory(person=_person(date(1966, 6, 1), Gender.MALE))
    woman51 = factories.RosterEntryFactory(person=_person(date(1975, 1, 1), Gender.FEMALE))
    manager61 = factories.RosterEntryFactory(
        person=_person(date(1965, 6, 1), Gender.MALE), category=PersonCategory.MANAGER
    )
    minor = factories.RosterEntryFactory(person=_person(date(2009, 1, 1), Gender.MALE))
    run("age_limit")
    found = {a.subject_id for a in live("age_limit")}
    assert found == {man61.person_id, woman51.person_id, minor.person_id}
    assert man60.person_id not in found and manager61.person_id not in found

    type(man61).objects.filter(pk=man61.pk).update(exit_date=TODAY)
    assert run("age_limit").closed == 1


def test_age_limit_per_work_type_comes_from_settings(settings):
    from jmzhgd.core.models import WorkType

    electrician = WorkType.objects.get(code="130")
    entry = factories.RosterEntryFactory(person=_person(date(1970, 1, 1), Gender.MALE), work_type=electrician)
    settings.ALERT_AGE_LIMITS = {"default": {"0": 60, "1": 50}, "130": {"0": 55, "1": 50}}
    run("age_limit")
    assert [a.subject_id for a in live("age_limit")] == [entry.person_id]


def test_silent_device_of_a_project_under_construction_opens_and_a_punch_upload_closes_it():
    device = factories.DeviceFactory()
    type(device).objects.filter(pk=device.pk).update(last_seen_at=NOW - timedelta(hours=30))
    factories.DeviceFactory(project=factories.ProjectFactory(status=ProjectStatus.SUSPENDED))
    run("device_silent", now=NOW + timedelta(days=2))
    (alert,) = live("device_silent")
    assert alert.subject_id == device.pk
    type(device).objects.filter(pk=device.pk).update(last_seen_at=NOW)
    assert run("device_silent").closed == 1


def test_team_without_members_opens_and_a_worker_entering_closes_it():
    team = factories.TeamFactory(entry_date=TODAY - timedelta(days=10))
    factories.TeamFactory(entry_date=TODAY - timedelta(days=1))  # still within its grace days
    run("team_empty")
    (alert,) = live("team_empty")
    assert alert.subject_id == team.pk
    entry_with_contract(team=team)
    assert run("team_empty").closed == 1


def test_unit_without_a_wage_clerk_on_site_opens_and_one_entering_closes_it():
    unit = factories.UnitFactory(entry_date=TODAY - timedelta(days=10))
    factories.UnitFactory(
        entry_date=TODAY - timedelta(days=10), corp_type=CorpType.SUPERVISION
    )  # post not offered
    run("wage_clerk_missing")
    (alert,) = live("wage_clerk_missing")
    assert alert.subject_id == unit.pk and alert.facts["参建单位类型"] == "劳务分包"
    managers = factories.TeamFactory(unit=unit, team_type=TeamType.MANAGEMENT, name="劳务分包项目部")
    factories.RosterEntryFactory(
        team=managers, category=PersonCategory.MANAGER, post=ManagementPost.objects.get(code="P05")
    )
    assert run("wage_clerk_missing").closed == 1


def _summary(entry, day):
    DailySummary.objects.create(project=entry.project, person=entry.person, work_date=day, punch_count=2)


def test_worker_punching_in_two_projects_on_one_day_opens_in_both_and_closes_when_out_of_the_window():
    first = entry_with_contract()
    second = entry_with_contract(person=first.person)
    _summary(first, TODAY - timedelta(days=1))
    _summary(second, TODAY - timedelta(days=1))
    _summary(second, TODAY - timedelta(days=2))  # only one project that day
    run("double_site")
    alerts = live("double_site")
    assert {a.project_id for a in alerts} == {first.project_id, second.project_id}
    facts = {a.project_id: a.facts for a in alerts}
    assert facts[first.project_id]["同日考勤的其他项目"] == second.project.name
    assert facts[first.project_id]["日期"] == f"{TODAY - timedelta(days=1):%Y-%m-%d}"

    assert run("double_site", today=TODAY + timedelta(days=10)).closed == 2


def test_a_lasting_cause_keeps_one_alert_and_an_ignored_one_stays_ignored_until_its_cause_goes():
    entry = factories.RosterEntryFactory(entry_date=TODAY)
    run("contract_missing")
    (alert,) = live("contract_missing")
    Alert.objects.filter(pk=alert.pk).update(state=AlertState.IGNORED, note="已在线下签订")
    later = NOW + timedelta(days=1)
    outcome = run("contract_missing", today=TODAY + timedelta(days=1), now=later)
    assert (outcome.opened, outcome.lasting) == (0, 1)
    alert.refresh_from_db()
    assert alert.last_seen_at == later and alert.first_seen_at == NOW and alert.state == AlertState.IGNORED
    factories.ContractFactory(roster_entry=entry, start_date=TODAY, end_date=date(2027, 1, 1))
    run("contract_missing")
    alert.refresh_from_db()
    assert alert.cleared_at is not None and alert.state == AlertState.IGNORED and alert.note == "已在线下签订"


def test_a_cause_that_comes_back_is_a_new_alert_and_each_change_is_audited_per_project():
    entry = factories.RosterEntryFactory(entry_date=TODAY)
    run("contract_missing")
    contract = factories.ContractFactory(roster_entry=entry, start_date=TODAY, end_date=date(2027, 1, 1))
    run("contract_missing")
    contract.delete()
    run("contract_missing")
    assert Alert.objects.filter(rule="contract_missing").count() == 2
    rows = AuditLog.objects.filter(action="alert.evaluate", project=entry.project).order_by("id")
    assert [r.after["opened"] for r in rows] == [1, 0, 1] and [r.after["closed"] for r in rows] == [0, 1, 0]


def test_evaluation_for_one_project_leaves_the_others_alerts_alone():
    a = factories.RosterEntryFactory(entry_date=TODAY)
    b = factories.RosterEntryFactory(entry_date=TODAY)
    run("contract_missing")
    factories.ContractFactory(roster_entry=b, start_date=TODAY, end_date=date(2027, 1, 1))
    evaluate(["contract_missing"], project_ids=[a.project_id], today=TODAY, now=NOW)
    assert len(live("contract_missing")) == 2  # b's is closed only when b's project is evaluated
    evaluate(["contract_missing"], project_ids=[b.project_id], today=TODAY, now=NOW)
    assert [x.project_id for x in live("contract_missing")] == [a.project_id]
