from __future__ import annotations

from datetime import date

import pytest

from tests.factories import RosterEntryFactory, TeamFactory, UnitFactory
from training.models import Training, TrainingAttendee, TrainingType


@pytest.fixture
def team(project):
    return TeamFactory(unit=UnitFactory(project=project), entry_date=date(2026, 3, 2))


@pytest.fixture
def roster(team):
    return [RosterEntryFactory(team=team) for _ in range(3)]


def make_training(project, persons=(), *, day=date(2026, 3, 5), kind=TrainingType.SAFETY, passed=True):
    training = Training.objects.create(
        project=project, training_type=kind, name="三级安全教育", training_date=day, hours="2.0"
    )
    for person in persons:
        TrainingAttendee.objects.create(training=training, person=person, passed=passed)
    return training
