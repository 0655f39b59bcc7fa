"""Alerts open and close right after the action that causes them (after commit), and the command."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from alerts import hooks
from alerts.evaluation import evaluate
from alerts.models import Alert
from attendance.ingest import ingest_punches
from contracts.services import sign_contract
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import PersonCategory
from jmzhgd.core.models import WorkType
from tests import factories
from workforce.services import EntryRequest, enter_persons, exit_roster_entries

pytestmark = pytest.mark.django_db


def live(rule, **filters):
    return Alert.objects.filter(rule=rule, cleared_at__isnull=True, **filters)


def test_entry_without_contract_opens_the_alert_and_signing_closes_it(django_capture_on_commit_callbacks):
    team = factories.TeamFactory()
    person = factories.PersonFactory()
    request = EntryRequest(
        person=person,
        unit=team.unit,
        team=team,
        category=PersonCategory.WORKER,
        work_type=WorkType.objects.get(code="020"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        (entry,) = enter_persons(Actor.system(), team.project, [request])
    assert live("contract_missing", subject_id=person.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        sign_contract(Actor.system(), entry, {"start_date": entry.entry_date, "end_date": date(2030, 1, 1)})
    assert not live("contract_missing", subject_id=person.pk).exists()


def test_exit_closes_the_persons_alerts(django_capture_on_commit_callbacks):
    entry = factories.RosterEntryFactory(entry_date=timezone.localdate() - timedelta(days=5))
    evaluate(["contract_missing"])
    assert live("contract_missing").exists()
    with django_capture_on_commit_callbacks(execute=True):
        exit_roster_entries(Actor.system(), type(entry).objects.filter(pk=entry.pk), timezone.localdate())
    assert not live("contract_missing").exists()


def test_a_punch_upload_closes_the_projects_no_attendance_alert(django_capture_on_commit_callbacks):
    entry = factories.RosterEntryFactory(entry_date=timezone.localdate() - timedelta(days=30))
    type(entry.project).objects.filter(pk=entry.project_id).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    evaluate(["no_attendance"])
    assert live("no_attendance", project=entry.project).exists()
    hooks.forget_watch()
    punched = timezone.localtime() - timedelta(minutes=5)
    item = {
        "idCardNumber": entry.person.id_number,
        "name": entry.person.name,
        "time": f"{punched:%Y-%m-%d %H:%M:%S}",
        "direction": "01",
    }
    with django_capture_on_commit_callbacks(execute=True):
        ingest_punches(Actor.system(), entry.project, [item])
    assert not live("no_attendance", project=entry.project).exists()


def test_a_punch_upload_for_a_project_without_site_alerts_evaluates_nothing(
    django_capture_on_commit_callbacks,
):
    entry = factories.RosterEntryFactory()
    hooks.forget_watch()
    item = {
        "idCardNumber": entry.person.id_number,
        "name": entry.person.name,
        "time": f"{timezone.localtime() - timedelta(minutes=5):%Y-%m-%d %H:%M:%S}",
        "direction": "01",
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ingest_punches(Actor.system(), entry.project, [item])
    assert callbacks == []


def test_a_failing_reevaluation_never_fails_the_action(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("alerts.services.evaluate", broken)
    with django_capture_on_commit_callbacks(execute=True):
        factories.DeviceFactory()
    assert "预警重新评估失败" in caplog.text


def test_the_nightly_command_evaluates_every_rule_and_refuses_an_unknown_one(capsys):
    factories.RosterEntryFactory(entry_date=timezone.localdate())
    call_command("evaluate_alerts")
    out = capsys.readouterr().out
    assert "contract_missing: 新增 1" in out and "完成" in out
    with pytest.raises(CommandError, match="未知的预警规则"):
        call_command("evaluate_alerts", "--rule", "nope")
