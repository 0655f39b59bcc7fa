"""The 进场 rules: training and certificates of the workers on site, opened and closed by the actions."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
from django.utils import timezone

from alerts.evaluation import evaluate
from alerts.models import Alert
from jmzhgd.core.actor import Actor
from jmzhgd.core.models import WorkType
from tests import factories
from training.models import PersonalCertification, Training
from training.services import add_attendees, save_training

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 3, 30))
ACTOR = Actor.system("测试")


def run(rule):
    return evaluate([rule], today=TODAY, now=NOW)[rule]


def live(rule):
    return list(Alert.objects.filter(rule=rule, cleared_at__isnull=True))


def certificate(person, **kwargs):
    values = dict(
        certificate_type="01",
        number="C-1",
        issuer="广东省住房和城乡建设厅",
        issue_date=date(2024, 1, 1),
        valid_until=date(2030, 1, 1),
    )
    return PersonalCertification.objects.create(person=person, **{**values, **kwargs})


def test_on_site_without_training_opens_and_recording_his_training_closes_it(
    django_capture_on_commit_callbacks,
):
    entry = factories.RosterEntryFactory()
    run("training_missing")
    [alert] = live("training_missing")
    assert alert.subject_id == entry.person_id and alert.project_id == entry.project_id
    training = Training.objects.create(project=entry.project, name="入场教育", training_date=TODAY, hours="2")
    with django_capture_on_commit_callbacks(execute=True):
        add_attendees(ACTOR, training, [entry.person_id])
    run("training_missing")  # the hook re-evaluates with the real date; the nightly run agrees
    assert not live("training_missing")


def test_a_failed_or_a_stale_training_does_not_count(settings):
    settings.RETRAIN_AFTER_MONTHS = 12
    failed, stale = factories.RosterEntryFactory(), factories.RosterEntryFactory()
    t1 = Training.objects.create(project=failed.project, name="a", training_date=date(2026, 6, 1), hours="1")
    t1.attendees.create(person=failed.person, passed=False)
    t2 = Training.objects.create(project=stale.project, name="b", training_date=date(2025, 6, 14), hours="1")
    t2.attendees.create(person=stale.person)
    run("training_missing")
    assert {a.subject_id for a in live("training_missing")} == {failed.person_id, stale.person_id}


def test_a_special_trade_without_a_valid_certificate_opens_and_a_certificate_closes_it():
    electrician = factories.RosterEntryFactory(work_type=WorkType.objects.get(code="130"))
    factories.RosterEntryFactory(work_type=WorkType.objects.get(code="020"))  # 钢筋工: no certificate needed
    run("certificate_missing")
    [alert] = live("certificate_missing")
    assert alert.subject_id == electrician.person_id and alert.facts["须持证书"] == "建筑电工"
    suspended = certificate(electrician.person, status="3")
    run("certificate_missing")
    assert live("certificate_missing")
    suspended.status = "1"
    suspended.save()
    run("certificate_missing")
    assert not live("certificate_missing")


def test_a_certificate_expiring_within_30_days_or_expired_opens_and_a_renewal_closes_it():
    soon, gone, fine = (factories.RosterEntryFactory() for _ in range(3))
    certificate(soon.person, valid_until=date(2026, 7, 10))
    old = certificate(gone.person, valid_until=date(2026, 6, 1))
    certificate(fine.person, valid_until=date(2026, 8, 1))
    run("certificate_expiring")
    alerts = {a.subject_id: a for a in live("certificate_expiring")}
    assert set(alerts) == {soon.person_id, gone.person_id}
    assert alerts[gone.person_id].facts["证书及有效期至"] == "建筑电工 2026-06-01"
    old.valid_until = date(2031, 6, 1)
    old.save()
    run("certificate_expiring")
    assert {a.subject_id for a in live("certificate_expiring")} == {soon.person_id}


def test_review_overdue_opens_and_a_new_review_date_closes_it():
    entry = factories.RosterEntryFactory()
    cert = certificate(entry.person, review_date=date(2026, 6, 1))
    certificate(factories.RosterEntryFactory(exit_date=date(2026, 6, 2)).person, review_date=date(2026, 1, 1))
    run("certificate_review_overdue")
    assert [a.subject_id for a in live("certificate_review_overdue")] == [entry.person_id]
    cert.review_date = date(2027, 6, 1)
    cert.save()
    run("certificate_review_overdue")
    assert not live("certificate_review_overdue")


def test_saving_a_training_schedules_the_rule_for_its_project(django_capture_on_commit_callbacks):
    entry = factories.RosterEntryFactory()
    evaluate(["training_missing"])
    assert live("training_missing")
    with django_capture_on_commit_callbacks(execute=True):
        training = save_training(
            ACTOR, entry.project, {"name": "安全", "training_date": timezone.localdate(), "hours": "2"}
        )
        add_attendees(ACTOR, training, [entry.person_id])
    assert not live("training_missing")
