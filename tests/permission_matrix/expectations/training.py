"""项目培训 URLs. The builder creates a training with one attendee inside the given project."""

from __future__ import annotations

from datetime import date

from tests import factories

from ..spec import PROJECT_ACTION, PROJECT_FORM, PROJECT_PAGE, Expect

EXPECTATIONS = {
    "training:list": PROJECT_PAGE,
    "training:export": PROJECT_PAGE,
    "training:create": PROJECT_FORM,
    "training:detail": PROJECT_PAGE,
    "training:edit": PROJECT_FORM,
    # A training with an attendee is not deleted: the own account is sent back to it (302).
    "training:delete": Expect(method="POST", supervisor=403, own=(302,)),
    "training:attendees": PROJECT_ACTION,
}


def _training(project):
    from training.models import Training, TrainingAttendee

    training = Training.objects.create(
        project=project, name="三级安全教育", training_date=date(2026, 3, 5), hours="2.0"
    )
    entry = factories.RosterEntryFactory(team__unit__project=project)
    TrainingAttendee.objects.create(training=training, person=entry.person)
    return training.pk


KWARGS = {"training_id": _training}
