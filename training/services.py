"""项目培训 actions (docs/architecture.md pattern 2): record, change and delete a training, and its attendees.

Attendees come from the project's own roster (花名册): a training records the project's workers,
never someone it has not entered. Every change is audited and sends `records_changed`, so the rules
that read trainings (预警中心) are re-evaluated when the action commits.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.signals import records_changed

from .models import Training, TrainingAttendee

TRAINING_FIELDS = (
    "training_type",
    "name",
    "training_date",
    "hours",
    "trainer",
    "organisation",
    "place",
    "description",
)
MAX_ATTENDEES_PER_STEP = 2000


def _snapshot(training: Training) -> dict:
    return {
        "training_type": training.get_training_type_display(),
        "name": training.name,
        "training_date": training.training_date,
        "hours": str(training.hours),
        "trainer": training.trainer,
        "organisation": training.organisation,
        "place": training.place,
        "sign_in_scan": training.sign_in_scan_name,
    }


def _changed(training: Training) -> None:
    # Who attended is part of the training's record (ProjectTraining's workerList): its time of change
    # is what 数据对接 reads to send it again.
    Training.objects.filter(pk=training.pk).update(updated_at=timezone.now())
    records_changed.send(TrainingAttendee, project_ids=[training.project_id])


def save_training(
    actor: Actor, project, values: dict, training: Training | None = None, *, scan=None
) -> Training:
    """Create a training of `project` (training None) or change one of its trainings; `scan` (checked
    by the form) replaces the signed sheet's scan."""
    creating = training is None
    with transaction.atomic():
        if creating:
            training = Training(project=project, created_by=actor.user)
            before = None
        else:
            training = Training.objects.select_for_update().get(pk=training.pk, project=project)
            before = _snapshot(training)
        for name in TRAINING_FIELDS:
            if name in values:
                setattr(training, name, values[name])
        if scan is not None:
            training.sign_in_scan = scan
            training.sign_in_scan_name = getattr(scan, "original_name", "") or scan.name
        training.full_clean(exclude=["project", "created_by", "sign_in_scan"])
        training.save()
        audit.record(
            actor,
            "training.create" if creating else "training.update",
            training,
            project=project,
            summary=f"{'新增' if creating else '修改'}培训：{training}",
            before=before,
            after=_snapshot(training),
        )
        _changed(training)
    return training


def delete_training(actor: Actor, training: Training) -> None:
    """【删除】: only while nobody is recorded (a recorded attendance is evidence of the training)."""
    with transaction.atomic():
        training = Training.objects.select_for_update().get(pk=training.pk)
        if training.attendees.exists():
            raise ValidationError("该培训已有参训人员记录，不能删除；请先移除参训人员。")
        audit.record(
            actor,
            "training.delete",
            training,
            project=training.project,
            summary=f"删除培训：{training}",
            before=_snapshot(training),
        )
        training.delete()


def add_attendees(actor: Actor, training: Training, person_ids, *, passed: bool = True) -> int:
    """Record persons of the project's roster as attendees; ones already recorded are kept as they are.

    Returns how many were added. A person who was never on this project's roster is refused."""
    from workforce.models import RosterEntry

    wanted = {int(pid) for pid in person_ids}
    if not wanted:
        raise ValidationError("请至少选择一名人员。")
    if len(wanted) > MAX_ATTENDEES_PER_STEP:
        raise ValidationError(f"一次最多记录 {MAX_ATTENDEES_PER_STEP} 人。")
    with transaction.atomic():
        training = Training.objects.select_for_update().get(pk=training.pk)
        on_roster = set(
            RosterEntry.objects.filter(project_id=training.project_id, person_id__in=wanted)
            .values_list("person_id", flat=True)
            .distinct()
        )
        if wanted - on_roster:
            raise ValidationError("所选人员不在本项目花名册中。")
        present = set(training.attendees.values_list("person_id", flat=True))
        new = sorted(wanted - present)
        rows = TrainingAttendee.objects.bulk_create(
            [TrainingAttendee(training=training, person_id=pid, passed=passed) for pid in new],
            batch_size=500,
        )
        if rows:
            audit.record(
                actor,
                "training.attendees_add",
                training,
                project=training.project,
                summary=f"培训“{training.name}”记录参训人员 {len(rows)} 人（{'合格' if passed else '不合格'}）",
                after={"person_ids": new, "passed": passed},
            )
            _changed(training)
    return len(rows)


def set_results(actor: Actor, training: Training, attendee_ids, *, passed: bool) -> int:
    """Mark attendees of `training` 合格 or 不合格."""
    ids = {int(i) for i in attendee_ids}
    with transaction.atomic():
        rows = training.attendees.filter(pk__in=ids).exclude(passed=passed)
        names = list(rows.values_list("person__name", flat=True))
        count = rows.update(passed=passed)
        if count:
            audit.record(
                actor,
                "training.results",
                training,
                project=training.project,
                summary=f"培训“{training.name}”{count} 人考核结果改为{'合格' if passed else '不合格'}",
                after={"persons": names, "passed": passed},
            )
            _changed(training)
    return count


def remove_attendees(actor: Actor, training: Training, attendee_ids) -> int:
    ids = {int(i) for i in attendee_ids}
    with transaction.atomic():
        rows = training.attendees.filter(pk__in=ids)
        names = list(rows.values_list("person__name", flat=True))
        person_ids = sorted(rows.values_list("person_id", flat=True))  # the 预警中心 re-examines them
        count, _ = rows.delete()
        if count:
            audit.record(
                actor,
                "training.attendees_remove",
                training,
                project=training.project,
                summary=f"培训“{training.name}”移除参训人员 {count} 人",
                before={"persons": names, "person_ids": person_ids},
            )
            _changed(training)
    return count
