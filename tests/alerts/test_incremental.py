"""The nightly run re-examines only what changed (alerts.nightly, docs/alerts.md) and ends where a full
pass ends: a random history of actions and days, evaluated night by night, compared with a full pass."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from alerts import nightly
from alerts.models import Alert, RuleRun
from alerts.registry import RULES, WORKER_REPORT_RULE, Context
from contracts.services import sign_contract
from enterprises.models import Team
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import ContractPeriodType, ContractType, PersonCategory
from jmzhgd.core.models import WorkType
from tests import factories
from training.certificate_services import on_site_projects, save_certificate
from training.models import PersonalCertification, Training, TrainingAttendee
from training.services import add_attendees, remove_attendees, set_results
from wages.models import WageAccount
from workforce.models import RosterEntry
from workforce.services import EntryRefused, EntryRequest, enter_persons
from workforce.services.exit import exit_roster_entries
from workforce.services.person_update import record_person_update

pytestmark = pytest.mark.django_db

START = date(2026, 5, 1)  # the history's first night (before today: the actions refuse future dates)
DAYS = 30


def _state() -> set:
    """The live alerts, as a full pass would compare them."""
    rows = Alert.objects.live().exclude(rule=WORKER_REPORT_RULE)
    return {
        (
            a.rule,
            a.project_id,
            a.subject_type,
            a.subject_id,
            a.subject_label,
            json.dumps(a.facts, sort_keys=True),
        )
        for a in rows
    }


def _full_pass(day: date) -> set:
    """What a full pass would leave live on `day`, without writing it."""
    ctx = Context(today=day, now=timezone.now())
    found = {}
    for code, rule in RULES.items():
        for f in rule.find(ctx):
            found.setdefault((code, *f.key), (f.label[:200], json.dumps(f.facts, sort_keys=True)))
    return {(*key, *value) for key, value in found.items()}


class History:
    """A small city whose dates cross the rules' thresholds during the month, and a day's actions."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.supervisor = Actor(user=factories.SupervisorFactory())
        self.actor = Actor.system("测试")
        self.electrician = WorkType.objects.get(code="130")
        self.plain = WorkType.objects.exclude(code__in=["030", "130", "170", "180"]).first()
        self.trainings = []
        for n in range(3):
            project = factories.ProjectFactory()
            WageAccount.objects.create(
                project=project, branch_name="测试支行", account_number=f"62{n:08d}", pay_day=5 + n * 10
            )
            unit = factories.UnitFactory(project=project, entry_date=self.day(-4, 4))
            for _ in range(2):
                team = factories.TeamFactory(unit=unit, entry_date=self.day(-5, 3))
                for _ in range(rng.randint(2, 4)):
                    self.worker(team)
            self.trainings.append(
                Training.objects.create(
                    project=project, name="入场教育", training_date=self.months_ago(12, -3, 20), hours="2"
                )
            )
            self.trainings.append(
                Training.objects.create(
                    project=project, name="安全教育", training_date=self.day(1, 20), hours="2"
                )
            )
        # Some work on two sites at once: their training and certificates count on both.
        teams = list(Team.objects.all())
        for entry in rng.sample(list(RosterEntry.objects.all()), k=4):
            team = rng.choice([t for t in teams if t.project_id != entry.project_id])
            factories.RosterEntryFactory(team=team, person=entry.person, entry_date=self.day(-5, 5))
        for training in self.trainings:
            on_roster = RosterEntry.objects.filter(project=training.project).values_list(
                "person_id", flat=True
            )
            for person_id in rng.sample(list(on_roster), k=min(3, len(on_roster))):
                TrainingAttendee.objects.create(
                    training=training, person_id=person_id, passed=rng.random() < 0.8
                )

    def day(self, low: int, high: int) -> date:
        return START + timedelta(days=self.rng.randint(low, high))

    def months_ago(self, months: int, low: int, high: int) -> date:
        day = self.day(low, high)
        return day.replace(year=day.year - 1) if months == 12 else day

    def worker(self, team) -> RosterEntry:
        rng = self.rng
        person = factories.PersonFactory(
            gender="0",
            birth_date=self.day(-2, DAYS).replace(year=1965) if rng.random() < 0.3 else date(1990, 1, 1),
            id_valid_to=self.day(20, 60) if rng.random() < 0.4 else date(2035, 1, 1),
        )
        special = rng.random() < 0.4
        entry = factories.RosterEntryFactory(
            team=team,
            person=person,
            entry_date=self.day(-5, 5),
            work_type=self.electrician if special else self.plain,
        )
        if rng.random() < 0.6:
            factories.ContractFactory(
                roster_entry=entry, start_date=entry.entry_date, end_date=self.day(10, 60)
            )
        if special or rng.random() < 0.3:
            PersonalCertification.objects.create(
                person=person,
                certificate_type="01",
                number=f"C-{person.pk}",
                issuer="广东省住房和城乡建设厅",
                issue_date=date(2024, 1, 1),
                valid_until=self.day(0, 40),
                review_date=self.day(-3, 30) if rng.random() < 0.5 else None,
            )
        return entry

    def on_site(self):
        return list(
            RosterEntry.objects.filter(exit_date__isnull=True).select_related("person", "team", "unit")
        )

    def act(self, today: date) -> None:
        """One to four actions of `today`, chosen at random among those the rules read."""
        rng = self.rng
        for _ in range(rng.randint(1, 4)):
            entries = self.on_site()
            entry = rng.choice(entries)
            kind = rng.choice(
                ["exit", "enter", "contract", "train", "untrain", "results", "certificate", "person"]
            )
            if kind == "exit" and entry.entry_date <= today:
                exit_roster_entries(self.actor, RosterEntry.objects.filter(pk=entry.pk), today)
            elif kind == "enter":
                person = factories.PersonFactory(gender="0", birth_date=date(1985, 6, 1))
                request = EntryRequest(
                    person=person,
                    unit=entry.unit,
                    team=entry.team,
                    category=PersonCategory.WORKER,
                    work_type=rng.choice([self.plain, self.electrician]),
                    entry_date=today,
                )
                try:
                    enter_persons(self.actor, entry.project, [request], confirm_warnings=True)
                except EntryRefused:
                    pass
            elif kind == "contract" and not entry.contracts.exists() and entry.entry_date <= today:
                values = {
                    "contract_type": ContractType.LABOUR_CONTRACT,
                    "period_type": ContractPeriodType.FIXED,
                    "start_date": entry.entry_date,
                    "end_date": today + timedelta(days=rng.randint(5, 40)),
                }
                sign_contract(self.actor, entry, values)
            elif kind == "train":
                training = rng.choice([t for t in self.trainings if t.project_id == entry.project_id])
                add_attendees(self.actor, training, [entry.person_id], passed=rng.random() < 0.8)
            elif kind in ("untrain", "results"):
                attendee = TrainingAttendee.objects.select_related("training").order_by("?").first()
                if kind == "untrain":
                    remove_attendees(self.actor, attendee.training, [attendee.pk])
                else:
                    set_results(self.actor, attendee.training, [attendee.pk], passed=not attendee.passed)
            elif kind == "certificate":
                certificate = PersonalCertification.objects.filter(person=entry.person).first()
                values = {
                    "kind": "01",
                    "certificate_type": "01",
                    "number": f"C-{entry.person_id}-{today:%m%d}",
                    "issuer": "广东省住房和城乡建设厅",
                    "issue_date": date(2024, 1, 1),
                    "valid_until": today + timedelta(days=rng.randint(-2, 60)),
                    "status": "1",
                }
                save_certificate(
                    self.supervisor, entry.person, values, project=entry.project, certificate=certificate
                )
            elif kind == "person":
                person = entry.person
                before = audit.snapshot(person)
                person.id_valid_to = today + timedelta(days=rng.randint(0, 60))
                record_person_update(
                    self.actor, person, before, project=None, on_site=on_site_projects(person)
                )


def test_night_by_night_the_incremental_run_ends_where_a_full_pass_ends(monkeypatch):
    # The audit rows' times and the runs' times come from one clock here.
    monkeypatch.setattr(nightly, "CLOCK_SKEW", timedelta(0))
    history = History(random.Random(20261207))
    first = nightly.run(today=START)
    assert all(report.full for report in first.values())
    incremental_runs = 0
    for n in range(1, DAYS + 1):
        today = START + timedelta(days=n)
        history.act(today)
        reports = nightly.run(today=today)
        incremental_runs += sum(not r.full for r in reports.values())
        assert reports["contract_missing"].projects <= 3
        if n % 3 == 0 or n == DAYS:
            assert _state() == _full_pass(today), f"第 {n} 天增量评估与全量评估不一致"
    assert incremental_runs > DAYS * 5  # most rules ran incrementally on most nights
    assert Alert.objects.exclude(cleared_at=None).exists() and Alert.objects.live().exists()
    # A full pass at the end finds nothing to open or to close.
    final = nightly.run(today=START + timedelta(days=DAYS), full=True)
    assert all(r.outcome.opened == r.outcome.closed == 0 for r in final.values())


def test_a_night_without_changes_examines_no_project_and_a_deadline_brings_one_back():
    entry = factories.RosterEntryFactory(entry_date=START + timedelta(days=2))
    nightly.run(today=START)
    quiet = nightly.run(today=START + timedelta(days=1))
    assert quiet["contract_missing"].projects == 0 and not quiet["contract_missing"].full
    due = nightly.run(today=START + timedelta(days=2))  # 进场 today, no contract: the grace ends
    assert due["contract_missing"].projects == 1
    assert Alert.objects.live().filter(rule="contract_missing", subject_id=entry.person_id).exists()


def test_a_full_pass_runs_on_demand_weekly_and_after_a_threshold_changes(settings, capsys):
    factories.RosterEntryFactory()
    call_command("evaluate_alerts")
    call_command("evaluate_alerts")
    out = capsys.readouterr().out
    assert "contract_missing: 新增 0，持续 0，自动关闭 0（增量：复查 0 个项目）" in out
    call_command("evaluate_alerts", "--full", "--rule", "contract_missing")
    assert "（全量：全量评估（--full））" in capsys.readouterr().out
    RuleRun.objects.update(last_full_at=timezone.now() - timedelta(days=settings.ALERT_FULL_PASS_DAYS))
    assert nightly.run(["id_expiring"])["id_expiring"].reason == "定期全量评估"
    settings.ALERT_ID_EXPIRY_DAYS = 60
    assert nightly.run(["id_expiring"])["id_expiring"].reason == "规则参数或代码已变更"
    assert not nightly.run(["id_expiring"])["id_expiring"].full


def test_the_audit_log_names_the_changed_projects_or_asks_for_a_full_pass():
    from alerts.changes import ALL, changed_projects
    from enterprises.services.library import update_enterprise

    since = timezone.now()
    unit = factories.UnitFactory()
    actor = Actor.system("测试")
    audit.record(actor, "auth.login", summary="登录")  # changes no rule's input
    audit.record(actor, "roster.exit", project=unit.project_id, summary="退场")
    assert changed_projects(since) == {unit.project_id}
    update_enterprise(
        Actor(user=factories.SupervisorFactory()), unit.enterprise, {"name": "新名称建筑有限公司"}
    )
    assert changed_projects(since) == {unit.project_id}
    audit.record(actor, "project.create_direct", summary="未知项目的变更")
    assert changed_projects(since) is ALL
