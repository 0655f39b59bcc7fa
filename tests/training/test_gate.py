"""The entry gate (training.gate): every entry path asks for a passed safety training before entry."""

from __future__ import annotations

from datetime import date

import pytest

from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import PersonCategory
from jmzhgd.core.models import WorkType
from tests.factories import PersonFactory, RosterEntryFactory
from training.models import TrainingType
from workforce.services import EntryRefused, EntryRequest, check_entries, enter_persons

from .conftest import make_training

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试")
ENTRY = date(2026, 3, 10)


def request_for(person, team, day=ENTRY):
    return EntryRequest(
        person=person,
        unit=team.unit,
        team=team,
        category=PersonCategory.WORKER,
        work_type=WorkType.objects.get(name="钢筋工"),
        entry_date=day,
    )


@pytest.fixture
def person(db):
    return PersonFactory()


def test_off_lets_an_untrained_worker_enter_without_a_word(settings, project, team, person):
    settings.ENTRY_CHECKS = "off"
    assert not check_entries(project, [request_for(person, team)]).warnings


def test_warn_asks_to_confirm_an_untrained_worker(settings, project, team, person):
    settings.ENTRY_CHECKS = "warn"
    check = check_entries(project, [request_for(person, team)])
    assert check.ok and "未参加安全教育或入场教育" in check.warning_messages()[0]
    with pytest.raises(EntryRefused):
        enter_persons(ACTOR, project, [request_for(person, team)])
    assert enter_persons(ACTOR, project, [request_for(person, team)], confirm_warnings=True)


def test_require_refuses_an_untrained_worker_naming_what_is_missing(settings, project, team, person):
    settings.ENTRY_CHECKS = "require"
    with pytest.raises(EntryRefused) as refused:
        enter_persons(ACTOR, project, [request_for(person, team)], confirm_warnings=True)
    assert "不能进场" in refused.value.messages[0] and "安全教育" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("day", "kind", "passed", "ok"),
    [
        (ENTRY, TrainingType.ENTRY, True, True),  # on the entry day itself
        (date(2026, 2, 10), TrainingType.SAFETY, True, True),  # 28 days before
        (date(2026, 3, 5), TrainingType.SKILL, True, False),  # a skill training is not a safety one
        (date(2026, 3, 5), TrainingType.SAFETY, False, False),  # failed
        (date(2026, 3, 11), TrainingType.SAFETY, True, False),  # after the entry date
    ],
)
def test_which_training_counts(settings, project, other_project, team, person, day, kind, passed, ok):
    settings.ENTRY_CHECKS = "require"
    settings.ENTRY_TRAINING_DAYS = 30
    make_training(other_project, [person], day=day, kind=kind, passed=passed)  # his training, wherever held
    assert check_entries(project, [request_for(person, team)]).ok is ok


def test_an_older_training_counts_while_he_works_but_not_after_a_long_absence(
    settings, project, team, person
):
    settings.ENTRY_CHECKS = "require"
    settings.ENTRY_TRAINING_DAYS, settings.RETRAIN_AFTER_MONTHS = 30, 12
    make_training(project, [person], day=date(2024, 1, 5))
    stay = RosterEntryFactory(person=person, entry_date=date(2024, 1, 6), exit_date=date(2025, 6, 30))
    assert check_entries(project, [request_for(person, team)]).ok  # on a site 9 months ago
    stay.exit_date = date(2025, 1, 31)
    stay.save()
    check = check_entries(project, [request_for(person, team)])
    assert not check.ok and "重新参加" in check.error_messages()[0]


def test_the_gate_costs_the_same_queries_for_one_worker_or_twenty(settings, project, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.ENTRY_CHECKS = "warn"
    electricians = WorkType.objects.get(code="130")

    def count(n):
        persons = [PersonFactory() for _ in range(n)]
        for person in persons[::2]:
            make_training(project, [person], day=date(2024, 1, 1))  # older: the stays are read too
        requests = [request_for(p, team) for p in persons]
        for r in requests[::3]:
            r.work_type = electricians
        with CaptureQueriesContext(connection) as queries:
            check_entries(project, requests)
        return len(queries)

    assert count(1) == count(20)
