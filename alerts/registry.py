"""The alert rules' registry: what a rule is, what it finds, and where each is listed by code.

The rule modules (alerts.rules, alerts.entry_rules, alerts.key_post_rules, alerts.wage_rules,
alerts.deposit_rules) mark their functions with `@rule`; the app's
config registers them once, at start-up (AlertsConfig.ready), so a rule module imports this one and
nothing here imports a rule module. A rule whose findings change with the calendar only at dates its
data names has a `@due` function (alerts.deadlines): with it the nightly run is incremental
(alerts.nightly); a rule without one is evaluated in full every night.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from types import ModuleType

from django.conf import settings

# Rule 9 (工人反映): opened by a worker's report, closed by a supervisor; never evaluated.
WORKER_REPORT_RULE = "worker_report"
WORKER_REPORT_DESCRIPTION = "工人通过自助查询页面【我要反映】提交的问题，须由监管方处理。"


@dataclass(frozen=True)
class Finding:
    project_id: int
    subject_type: str
    subject_id: int
    label: str
    facts: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, str, int]:
        return (self.project_id, self.subject_type, self.subject_id)


@dataclass(frozen=True)
class Context:
    today: datetime.date
    now: datetime.datetime
    project_ids: frozenset[int] | None = None  # None: every project

    def scope(self, queryset, field_name: str = "project_id"):
        if self.project_ids is None:
            return queryset
        return queryset.filter(**{f"{field_name}__in": self.project_ids})


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    description: str
    find: Callable[[Context], Iterable[Finding]]
    # The projects where a date the rule compares with today was crossed in (last_day, ctx.today]:
    # due(ctx, last_day) -> project ids. None: the rule is evaluated in full every night.
    due: Callable[[Context, datetime.date], Iterable[int]] | None = None


RULES: dict[str, Rule] = {}
LABELS = {WORKER_REPORT_RULE: "工人反映"}


def rule(code: str, label: str, description: str):
    """Mark a rule function; `register` lists it."""

    def mark(func):
        func.rule = Rule(code, label, description, func)
        return func

    return mark


def due(code: str):
    """Mark the deadline function of rule `code` (see Rule.due); `register` attaches it."""

    def mark(func):
        func.due_of = code
        return func

    return mark


def register(*modules: ModuleType) -> None:
    """List the marked rules of `modules`, in the order they are written, then attach their `@due`."""
    dues = {}
    for module in modules:
        for value in vars(module).values():
            found = getattr(value, "rule", None)
            if isinstance(found, Rule):
                RULES[found.code] = found
                LABELS[found.code] = found.label
            elif callable(value) and isinstance(getattr(value, "due_of", None), str):
                dues[value.due_of] = value
    for code, func in dues.items():
        RULES[code] = replace(RULES[code], due=func)


def rule_label(code: str) -> str:
    return LABELS.get(code, code)


def rule_choices() -> list[tuple[str, str]]:
    return list(LABELS.items())


def describe(code: str) -> str:
    """The rule's description with its thresholds filled in from settings."""
    found = RULES.get(code)
    if found is None:
        return WORKER_REPORT_DESCRIPTION if code == WORKER_REPORT_RULE else ""
    return found.description.format(
        **{name: getattr(settings, name) for name in dir(settings) if name.startswith("ALERT_")},
        RETRAIN_AFTER_MONTHS=settings.RETRAIN_AFTER_MONTHS,
        KEY_POST_ABSENT_DAYS=settings.KEY_POST_ABSENT_DAYS,
    )
