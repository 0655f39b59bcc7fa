"""Turning the rules' findings into alerts: open the new causes, touch the lasting ones, close the gone.

Per rule, in one transaction: the live alerts of the rule (in scope) are read as keys, compared with
the findings as sets, and written with a bounded number of statements (bulk INSERT … ON CONFLICT DO
NOTHING, UPDATE … WHERE id IN chunks). One audit row per rule and project that changed says how many
alerts opened and closed, so a night that opens thousands of alerts writes a few hundred rows.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from .models import Alert, AlertState
from .registry import RULES, Context, Finding

CHUNK = 500  # ids per IN list (SQLite allows 999 variables per statement)
AUTO_CLOSE_NOTE = "预警原因已消除，系统自动关闭。"
# A run that opened or closed this many alerts refreshes the table's planner statistics itself
# (PostgreSQL): with the estimates of before the run, the 预警中心's first page was planned as if
# few alerts were pending and read every pending alert of a district to sort them, instead of the
# first rows of the pending index; autovacuum's ANALYZE would come much later.
ANALYZE_AFTER = 10_000


@dataclass
class Outcome:
    opened: int = 0
    closed: int = 0
    lasting: int = 0


def _chunks(values: list):
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def evaluate(
    rules: list[str] | None = None,
    project_ids=None,
    *,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    actor: Actor | None = None,
) -> dict[str, Outcome]:
    """Evaluate `rules` (all by default) for `project_ids` (all projects by default)."""
    now = now or timezone.now()
    ctx = Context(
        today=today or timezone.localdate(now),
        now=now,
        project_ids=None if project_ids is None else frozenset(project_ids),
    )
    actor = actor or Actor.system("预警规则")
    outcomes = {code: _apply(RULES[code], ctx, actor) for code in (rules or list(RULES)) if code in RULES}
    if sum(o.opened + o.closed for o in outcomes.values()) >= ANALYZE_AFTER:
        _refresh_statistics()
    return outcomes


def _refresh_statistics() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Alert._meta.db_table}")


def _apply(rule, ctx: Context, actor: Actor) -> Outcome:
    findings: dict[tuple, Finding] = {}
    for finding in rule.find(ctx):
        findings.setdefault(finding.key, finding)
    with transaction.atomic():
        live = ctx.scope(Alert.objects.filter(rule=rule.code, cleared_at__isnull=True)).order_by()
        existing = {
            (project_id, subject_type, subject_id): (pk, facts, label)
            for pk, project_id, subject_type, subject_id, facts, label in live.values_list(
                "pk", "project_id", "subject_type", "subject_id", "facts", "subject_label"
            )
        }
        new = [f for key, f in findings.items() if key not in existing]
        gone_keys = [key for key in existing if key not in findings]
        gone = [existing[key][0] for key in gone_keys]
        lasting = [value[0] for key, value in existing.items() if key in findings]
        changed = [
            Alert(pk=pk, facts=findings[key].facts, subject_label=findings[key].label[:200])
            for key, (pk, facts, label) in existing.items()
            if key in findings and (facts != findings[key].facts or label != findings[key].label[:200])
        ]
        Alert.objects.bulk_create(
            [
                Alert(
                    project_id=f.project_id,
                    rule=rule.code,
                    subject_type=f.subject_type,
                    subject_id=f.subject_id,
                    subject_label=f.label[:200],
                    facts=f.facts,
                    first_seen_at=ctx.now,
                    last_seen_at=ctx.now,
                )
                for f in new
            ],
            batch_size=CHUNK,
            ignore_conflicts=True,  # a concurrent evaluation opened it a moment ago
        )
        for ids in _chunks(lasting):
            Alert.objects.filter(pk__in=ids).update(last_seen_at=ctx.now)
        Alert.objects.bulk_update(changed, ["facts", "subject_label"], batch_size=CHUNK)
        for ids in _chunks(gone):
            Alert.objects.filter(pk__in=ids).update(cleared_at=ctx.now)
            # Still waiting for someone: closed by the system. 已忽略 and 已处理 keep their state and note.
            Alert.objects.filter(pk__in=ids, state__in=[AlertState.OPEN, AlertState.IN_PROGRESS]).update(
                state=AlertState.RESOLVED, note=AUTO_CLOSE_NOTE, handled_at=ctx.now, handled_by=None
            )
        _audit(rule, actor, Counter(f.project_id for f in new), Counter(key[0] for key in gone_keys))
    return Outcome(opened=len(new), closed=len(gone), lasting=len(lasting))


def _audit(rule, actor: Actor, opened: Counter, closed: Counter) -> None:
    rows = [
        audit.build(
            actor,
            "alert.evaluate",
            project=project_id,
            summary=f"预警规则「{rule.label}」：新增 {opened[project_id]} 条，原因消除自动关闭 {closed[project_id]} 条",
            after={"rule": rule.code, "opened": opened[project_id], "closed": closed[project_id]},
        )
        for project_id in sorted(set(opened) | set(closed))
    ]
    audit.record_many(rows)
