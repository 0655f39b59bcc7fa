"""进场 law at city scale (docs/entry-checks.md): a batch of 100 entered with the training and
certificate checks on against the same batch with them off, the nightly evaluation with and without
the 进场 and key-post rules, and the training page's attendee picker on the big project's roster.

Each comparison is made in one run, on the same data, alternating the two sides; what a scenario
writes (entries, trainings) is rolled back, so the dataset stays as it was.
"""

from __future__ import annotations

import statistics
import time

from django.db import transaction

from bench.harness import Bench, Row, _ms

ROUNDS = 3
ENTRY_RATIO = 1.2  # the entry of 100 with the checks on, over the same entry with them off
RULES_RATIO = 1.3  # the nightly evaluation with the new rules, over the evaluation without them
NEW_RULE_MODULES = ("alerts.entry_rules", "alerts.key_post_rules")


class _Rollback(Exception):
    pass


def _timed_entry(project, requests, mode: str, trainings) -> float:
    """Seconds to enter `requests` under ENTRY_CHECKS=`mode`, everything written then rolled back."""
    from django.test import override_settings

    from jmzhgd.core.actor import Actor
    from workforce.services.entry import enter_persons

    elapsed = 0.0
    try:
        with transaction.atomic(), override_settings(ENTRY_CHECKS=mode):
            trainings()
            started = time.perf_counter()
            enter_persons(Actor(label="基准测试"), project, requests, confirm_warnings=True)
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


def entry_checks(bench: Bench) -> None:
    from django.db.models import Exists, OuterRef

    from enterprises.models import Team
    from jmzhgd.core.codes import PersonCategory, TeamType
    from jmzhgd.core.models import WorkType
    from projects.models import Project
    from training.models import Training, TrainingAttendee, TrainingType
    from workforce.models import Person, RosterEntry
    from workforce.services.entry import EntryRequest

    project = Project.objects.get(pk=bench.project_id)
    team = Team.objects.filter(project=project, team_type=TeamType.WORKER).select_related("unit").first()
    work_type = WorkType.objects.order_by("code").first()
    on_site = RosterEntry.objects.filter(person=OuterRef("pk"), exit_date__isnull=True)
    in_project = RosterEntry.objects.filter(person=OuterRef("pk"), project=project)
    batch = bench.sizes.entry_batch
    persons = list(Person.objects.filter(~Exists(on_site), ~Exists(in_project)).order_by("id")[:batch])
    size = f"{len(persons)} workers into a project of {bench.on_site_size}"
    target = f"≤ {ENTRY_RATIO}× the entry without the checks (same run)"
    if team is None or len(persons) < batch:
        bench.missing("entry of 100 with 进场 checks", size, target, f"a worker team and {batch} persons off site")
        return
    requests = [
        EntryRequest(person=p, unit=team.unit, team=team, category=PersonCategory.WORKER, work_type=work_type)
        for p in persons
    ]
    on_site_ids = list(bench.on_site_entries().values_list("person_id", flat=True))

    def trainings():
        """The big project's workers and half the batch trained, as on a site that records them."""
        training = Training.objects.create(
            project=project, training_type=TrainingType.SAFETY, name="三级安全教育",
            training_date=bench.month_start, hours="2.0",
        )  # fmt: skip
        people = on_site_ids + [p.pk for p in persons[::2]]
        TrainingAttendee.objects.bulk_create(
            [TrainingAttendee(training=training, person_id=pid) for pid in people], batch_size=2000
        )

    off, on = [], []
    for _ in range(ROUNDS):
        off.append(_timed_entry(project, requests, "off", trainings))
        on.append(_timed_entry(project, requests, "warn", trainings))
    ratio = statistics.median(on) / statistics.median(off)
    row = Row(
        "entry of 100 with 进场 checks",
        size,
        target,
        ratio <= ENTRY_RATIO,
        _ms(statistics.median(on)),
        _ms(max(on)),
        note=f"checks off: median {_ms(statistics.median(off))} ms; {ROUNDS} rounds each, alternating",
    )
    row.yardstick = f"the same entry with ENTRY_CHECKS=off {_ms(statistics.median(off))} ms"
    row.yardstick_value = _ms(statistics.median(off))
    row.ratio, row.ratio_target = round(ratio, 3), f"≤ {ENTRY_RATIO}"
    bench.rows.append(row)
    bench.log(f"  entry of {batch}: checks on {_ms(statistics.median(on))} ms, off {_ms(statistics.median(off))} ms")


UNTRAINED_SHARE = 20  # one worker on site in 20 without his training or certificate recorded


def _records_of_a_city_that_keeps_them(bench: Bench) -> int:
    """Trainings and certificates for all but one in UNTRAINED_SHARE of the workers on site (the
    dataset has none: with them every worker on site would open 在场无安全培训, which measures the
    alerts' bookkeeping, not the rules). Returns how many workers are left without."""
    from datetime import timedelta

    from projects.models import Project
    from training.models import PersonalCertification, Training, TrainingAttendee, TrainingType
    from workforce.models import RosterEntry

    on_site = list(
        RosterEntry.objects.filter(exit_date__isnull=True)
        .order_by("person_id")
        .values_list("person_id", "work_type__certificate_rule__certificate_type")
        .distinct()
    )
    kept = [(pid, kind) for index, (pid, kind) in enumerate(on_site) if index % UNTRAINED_SHARE]
    training = Training.objects.create(
        project=Project.objects.get(pk=bench.project_id), training_type=TrainingType.SAFETY,
        name="三级安全教育", training_date=bench.month_start, hours="2.0",
    )  # fmt: skip
    TrainingAttendee.objects.bulk_create(
        [TrainingAttendee(training=training, person_id=pid) for pid, _ in kept], batch_size=5000
    )
    PersonalCertification.objects.bulk_create(
        [
            PersonalCertification(
                person_id=pid, certificate_type=kind, number=f"粤A04{pid:010d}", issuer="广东省住房和城乡建设厅",
                issue_date=bench.month_start - timedelta(days=365),
                valid_until=bench.month_start + timedelta(days=3 * 365),
            )  # fmt: skip
            for pid, kind in kept
            if kind
        ],
        batch_size=5000,
    )
    return len(on_site) - len(kept)


def new_rules(bench: Bench) -> None:
    """The nightly evaluation with every rule against the same without the 进场 and key-post rules, in
    a city that records its trainings and certificates (rolled back afterwards)."""
    from alerts.evaluation import evaluate
    from alerts.registry import RULES

    new = [code for code, r in RULES.items() if r.find.__module__ in NEW_RULE_MODULES]
    before = [code for code in RULES if code not in new]
    without, with_new = [], []
    with transaction.atomic():
        untrained = _records_of_a_city_that_keeps_them(bench)
        evaluate()  # the alerts as a normal night finds them
        for _ in range(2):
            started = time.monotonic()
            evaluate(rules=before)
            without.append(time.monotonic() - started)
            started = time.monotonic()
            evaluate()
            with_new.append(time.monotonic() - started)
        transaction.set_rollback(True)
    ratio = min(with_new) / min(without)
    row = Row(
        "nightly evaluation with the 进场 rules",
        f"{len(RULES)} rules ({len(new)} new) over {bench.marker['counts']['projects']:,} projects, "
        f"{untrained:,} on site untrained",
        f"≤ {RULES_RATIO}× the evaluation without them (same run)",
        ratio <= RULES_RATIO,
        _ms(min(with_new)),
        _ms(max(with_new)),
        note=f"without the {len(new)} rules: best {_ms(min(without))} ms; best of 2 each, alternating",
    )
    row.yardstick = f"the evaluation without them {_ms(min(without))} ms"
    row.yardstick_value = _ms(min(without))
    row.ratio, row.ratio_target = round(ratio, 3), f"≤ {RULES_RATIO}"
    bench.rows.append(row)
    bench.log(f"  nightly with the 进场 rules: {min(with_new):.1f} s, without {min(without):.1f} s")


def attendee_picker(bench: Bench) -> None:
    """The training page with its picker of on-site workers not yet recorded (the first 300 shown)."""
    from training.models import Training, TrainingType

    training = Training.objects.create(
        project_id=bench.project_id, training_type=TrainingType.ENTRY, name="入场教育（基准测试）",
        training_date=bench.month_start, hours="1.0",
    )  # fmt: skip
    try:
        bench.page(
            "training attendee picker",
            bench.on_site_size,
            bench.url("training:detail", project_id=bench.project_id, training_id=training.pk),
            bench.project_cookie,
            limit_ms=300,
            what="training:detail",
        )
    finally:
        training.delete()


STEPS = [
    ("entry_checks", entry_checks),
    ("training_rules", new_rules),
    ("attendee_picker", attendee_picker),
]
