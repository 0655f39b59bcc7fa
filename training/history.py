"""A person's training history as one project may see it (docs/requirements.md §1: a project sees nothing of others).

The project's own trainings come with their name, result and link; another project's only with
their type and date, and only the passed ones (what the entry gate relies on)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from .models import TrainingAttendee


@dataclass
class TrainingLine:
    training_type: str
    training_date: date
    own: bool
    name: str = ""
    result: str = ""
    training_id: int | None = None


def person_trainings(project, person) -> list[TrainingLine]:
    rows = (
        TrainingAttendee.objects.filter(person=person)
        .filter(Q(training__project=project) | Q(passed=True))
        .select_related("training")
        .order_by("-training__training_date", "-id")
    )
    lines = []
    for row in rows:
        t = row.training
        own = t.project_id == project.pk
        lines.append(
            TrainingLine(
                training_type=t.get_training_type_display(),
                training_date=t.training_date,
                own=own,
                name=t.name if own else "",
                result=row.result_label if own else "",
                training_id=t.pk if own else None,
            )
        )
    return lines
