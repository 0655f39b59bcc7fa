"""The nightly evaluation: each rule re-examines only the projects whose inputs changed since its last
run, and those where one of its deadlines passed since (docs/alerts.md). The result equals a full pass.

Per rule, the run evaluates (alerts.evaluation) either every project (a full pass) or the projects of
  - the audit log's rows written since the rule's last run (alerts.changes), and
  - the rule's deadlines crossed between the last run's day and today (alerts.deadlines).
A full pass runs instead with `--full`, for a rule without deadlines (it reads every site's attendance),
on the rule's first run, when its parameters or code changed (a fingerprint), when the calendar went
back or jumped more than MAX_GAP_DAYS, when the audit log names a change it cannot place, and once
ALERT_FULL_PASS_DAYS have passed since the rule's last full pass (weekly by default).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import inspect
import json
import sys
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from jmzhgd.core.actor import Actor

from .changes import ALL, changed_projects
from .evaluation import ANALYZE_AFTER, Outcome, _apply, _refresh_statistics
from .models import RuleRun
from .registry import RULES, Context, Rule

MAX_GAP_DAYS = 31
# Clocks of the application servers and of the database may differ by this much: the audit rows' times
# come from the former, the oldest open transaction's start from the latter.
CLOCK_SKEW = timedelta(minutes=10)


@dataclass
class Report:
    outcome: Outcome = field(default_factory=Outcome)
    full: bool = False
    reason: str = ""
    projects: int = 0  # examined, when incremental


def horizon(now: datetime.datetime) -> datetime.datetime:
    """The moment from which the next run must read the audit log: a transaction still open now may
    commit rows written before `now` after this run has read, so the start of the oldest one counts."""
    oldest = now
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT min(xact_start) FROM pg_stat_activity "
                "WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() AND datname = current_database() "
                "AND backend_type = 'client backend'"  # not autovacuum: it writes no audit row
            )
            started = cursor.fetchone()[0]
        if started is not None:
            oldest = min(oldest, started)
    return oldest - CLOCK_SKEW


def parameters() -> dict:
    """What every rule's findings depend on besides the data: thresholds and code tables."""
    from jmzhgd.core.models import ManagementPost, WorkType
    from training.models import WorkTypeCertificate

    prefixes = ("ALERT_", "KEY_POST", "RETRAIN_", "WORKER_MAX_AGE")
    names = sorted(n for n in dir(settings) if n.startswith(prefixes) and n != "ALERT_FULL_PASS_DAYS")
    return {
        "settings": {n: getattr(settings, n) for n in names},
        "work_types": list(WorkType.objects.order_by("pk").values_list("pk", "code")),
        "posts": list(ManagementPost.objects.order_by("pk").values_list("pk", "code", "corp_types")),
        "certificates": list(
            WorkTypeCertificate.objects.order_by("pk").values_list("work_type_id", "certificate_type")
        ),
    }


def fingerprint(rule: Rule, shared: dict | None = None) -> str:
    """The rule's parameters (`parameters()`) and the code of its modules, hashed."""
    parts = {
        **(shared if shared is not None else parameters()),
        "code": [_source(rule.find), _source(rule.due)],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


@functools.cache
def _module_digest(name: str) -> str:
    try:
        return hashlib.sha256(inspect.getsource(sys.modules[name]).encode()).hexdigest()
    except (OSError, TypeError, KeyError):
        return name


def _source(func) -> str:
    return "" if func is None else _module_digest(func.__module__)


def _full_reason(rule: Rule, last: RuleRun | None, today: datetime.date, now, print_: str) -> str:
    if rule.due is None:
        return "该规则每晚全量评估（无截止日期函数）"
    if last is None:
        return "首次评估"
    if last.fingerprint != print_:
        return "规则参数或代码已变更"
    if today < last.last_day or (today - last.last_day).days > MAX_GAP_DAYS:
        return "评估日期不连续"
    if last.last_full_at is None or now - last.last_full_at >= timedelta(days=settings.ALERT_FULL_PASS_DAYS):
        return "定期全量评估"
    return ""


def run(
    rules: list[str] | None = None,
    *,
    full: bool = False,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    actor: Actor | None = None,
) -> dict[str, Report]:
    """The nightly evaluation of `rules` (all by default) over the whole city; `full` forces full passes."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    actor = actor or Actor.system("预警规则")
    start = horizon(now)
    codes = [code for code in (rules or list(RULES)) if code in RULES]
    runs = {r.rule: r for r in RuleRun.objects.filter(rule__in=codes)}
    changed: dict[datetime.datetime, set[int] | None] = {}  # rules run together share their last run
    everywhere = Context(today=today, now=now)
    reports = {}
    shared = parameters()
    for code in codes:
        rule, last = RULES[code], runs.get(code)
        print_ = fingerprint(rule, shared)
        report = Report(reason="全量评估（--full）" if full else _full_reason(rule, last, today, now, print_))
        projects: set[int] | None = ALL
        if not report.reason:
            since = last.last_run_at
            if since not in changed:
                changed[since] = changed_projects(since)
            projects = changed[since]
            if projects is ALL:
                report.reason = "审计日志中有无法定位项目的变更"
            else:
                projects = projects | set(rule.due(everywhere, last.last_day))
        if projects is ALL:
            report.full = True
            report.outcome = _apply(rule, everywhere, actor)
        else:
            report.projects = len(projects)
            if projects:
                report.outcome = _apply(
                    rule, Context(today=today, now=now, project_ids=frozenset(projects)), actor
                )
        RuleRun.objects.update_or_create(
            rule=code,
            defaults={
                "last_run_at": start,
                "last_day": today,
                "fingerprint": print_,
                "last_full_at": now if report.full else (last.last_full_at if last else None),
            },
        )
        reports[code] = report
    if sum(r.outcome.opened + r.outcome.closed for r in reports.values()) >= ANALYZE_AFTER:
        _refresh_statistics()
    return reports
