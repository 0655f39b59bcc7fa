"""进场 law at city scale: a batch of 100 entered with the training and certificate checks on against
the same batch with them off (docs/entry-checks.md), and with the 黑名单 check against without it
(docs/credit.md §4); the nightly evaluation with and without the 进场 and key-post rules; and the
training page's attendee picker on the big project's roster.

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
LISTS_RATIO = 1.1  # the entry of 100 with the 黑名单 check, over the same entry without it
LISTED_SHARE = 50  # one person in 50 of the library on a list, and every tenth of the batch
LISTS_UID = "credit.check_entry_lists"  # as credit.apps connects it
RULES_RATIO = 1.3  # the nightly evaluation with the new rules, over the evaluation without them
NEW_RULE_MODULES = ("alerts.entry_rules", "alerts.key_post_rules")


class _Rollback(Exception):
    pass


def _timed_entry(project, requests, mode: str, prepare) -> float:
    """Seconds to enter `requests` under ENTRY_CHECKS=`mode` after `prepare()`, everything written
    then rolled back."""
    from django.test import override_settings

    from jmzhgd.core.actor import Actor
    from workforce.services.entry import enter_persons

    elapsed = 0.0
    try:
        with transaction.atomic(), override_settings(ENTRY_CHECKS=mode):
            prepare()
            started = time.perf_counter()
            enter_persons(Actor(label="基准测试"), project, requests, confirm_warnings=True)
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


def _batch(bench: Bench):
    """(project, requests): the big project and a batch of library persons on no site and never on
    it, into one of its worker teams; None when the dataset has too few."""
    from django.db.models import Exists, OuterRef

    from enterprises.models import Team
    from jmzhgd.core.codes import PersonCategory, TeamType
    from jmzhgd.core.models import WorkType
    from projects.models import Project
    from workforce.models import Person, RosterEntry
    from workforce.services.entry import EntryRequest

    project = Project.objects.get(pk=bench.project_id)
    team = Team.objects.filter(project=project, team_type=TeamType.WORKER).select_related("unit").first()
    work_type = WorkType.objects.order_by("code").first()
    on_site = RosterEntry.objects.filter(person=OuterRef("pk"), exit_date__isnull=True)
    in_project = RosterEntry.objects.filter(person=OuterRef("pk"), project=project)
    batch = bench.sizes.entry_batch
    persons = list(Person.objects.filter(~Exists(on_site), ~Exists(in_project)).order_by("id")[:batch])
    if team is None or len(persons) < batch:
        return None
    return project, [
        EntryRequest(person=p, unit=team.unit, team=team, category=PersonCategory.WORKER, work_type=work_type)
        for p in persons
    ]


def _ratio_row(bench: Bench, scenario: str, size: str, limit: float, on: list, off: list, against: str):
    ratio = statistics.median(on) / statistics.median(off)
    row = Row(
        scenario,
        size,
        f"≤ {limit}× the entry {against} (same run)",
        ratio <= limit,
        _ms(statistics.median(on)),
        _ms(max(on)),
        note=f"{against}: median {_ms(statistics.median(off))} ms; {ROUNDS} rounds each, alternating",
    )
    row.yardstick = f"the same entry {against} {_ms(statistics.median(off))} ms"
    row.yardstick_value = _ms(statistics.median(off))
    row.ratio, row.ratio_target = round(ratio, 3), f"≤ {limit}"
    bench.rows.append(row)
    bench.log(f"  {scenario}: {_ms(statistics.median(on))} ms, {against} {_ms(statistics.median(off))} ms")


def entry_checks(bench: Bench) -> None:
    from training.models import Training, TrainingAttendee, TrainingType

    scenario = "entry of 100 with 进场 checks"
    found = _batch(bench)
    size = f"{bench.sizes.entry_batch} workers into a project of {bench.on_site_size}"
    if found is None:
        bench.missing(scenario, size, f"≤ {ENTRY_RATIO}×", "a worker team and enough persons off site")
        return
    project, requests = found
    persons = [r.person for r in requests]
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
    _ratio_row(bench, scenario, size, ENTRY_RATIO, on, off, "with ENTRY_CHECKS=off")


def entry_lists(bench: Bench) -> None:
    """The same entry with the 黑名单 check (credit.gate) connected and disconnected, the city's lists
    holding one person in LISTED_SHARE of the library and every tenth of the batch."""
    from datetime import timedelta

    from credit.codes import RecordKind
    from credit.gate import check_entry_lists
    from credit.models import CreditRecord
    from workforce.hooks import entry_checking
    from workforce.models import Person

    scenario = "entry of 100 with the 黑名单 check"
    found = _batch(bench)
    size = f"{bench.sizes.entry_batch} workers, one person in {LISTED_SHARE} of the library listed"
    if found is None:
        bench.missing(scenario, size, f"≤ {LISTS_RATIO}×", "a worker team and enough persons off site")
        return
    project, requests = found
    listed_ids = set(Person.objects.filter(id__gt=0).values_list("id", flat=True)[::LISTED_SHARE])
    listed_ids |= {r.person.pk for r in requests[::10]}

    def lists():
        CreditRecord.objects.bulk_create(
            [
                CreditRecord(
                    kind=RecordKind.BLACKLIST, person_id=pid, start_date=bench.month_start - timedelta(days=30),
                    end_date=bench.month_start + timedelta(days=3 * 365), issuer="江门市住房和城乡建设局",
                    description="基准测试",
                )  # fmt: skip
                for pid in sorted(listed_ids)
            ],
            batch_size=5000,
        )

    without, with_lists = [], []
    for _ in range(ROUNDS):
        entry_checking.disconnect(dispatch_uid=LISTS_UID)
        try:
            without.append(_timed_entry(project, requests, "off", lists))
        finally:
            entry_checking.connect(check_entry_lists, dispatch_uid=LISTS_UID)
        with_lists.append(_timed_entry(project, requests, "off", lists))
    _ratio_row(bench, scenario, size, LISTS_RATIO, with_lists, without, "without the 黑名单 check")


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
    ("entry_lists", entry_lists),
    ("training_rules", new_rules),
    ("attendee_picker", attendee_picker),
]
