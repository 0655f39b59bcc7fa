"""When the calendar alone changes a rule's findings (docs/alerts.md §2).

A rule compares a date of its data with today ("进场 N 天后", "N 天内到期", "已过复审日期", a birthday,
a pay day): between two nightly runs on days D and D' its findings can change without any data
changing, but only for the rows whose date crossed the rule's threshold in (D, D']. Each function
here returns the projects holding such rows, computed with the rule's own threshold, so the
incremental run examines them (alerts.nightly). A rule without a function here is evaluated in full
every night: no_attendance, device_silent, double_site and key_post_absent read the attendance of
every site, which changes every day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from contracts.models import Contract
from enterprises.models import ParticipatingUnit, Team
from projects.models import Project

from .registry import Context, due
from .rules import _on_site


def _projects(queryset, field_name: str = "project_id") -> set[int]:
    return set(queryset.order_by().values_list(field_name, flat=True).distinct())


def _on_site_of(ctx: Context, persons) -> set[int]:
    """The projects where the persons of `persons` (a values("person_id") queryset or ids) are on site."""
    return _projects(_on_site(ctx).filter(person_id__in=persons))


def _shifted(ctx: Context, last_day: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
    """(D + days, D' + days]: the dates that crossed "date ≤ today + days" between the runs."""
    return last_day + timedelta(days=days), ctx.today + timedelta(days=days)


@due("contract_missing")
def contract_missing(ctx: Context, last_day: datetime.date) -> set[int]:
    low, high = _shifted(ctx, last_day, -settings.ALERT_CONTRACT_GRACE_DAYS)
    return _projects(_on_site(ctx).filter(entry_date__gt=low, entry_date__lte=high))


@due("contract_expiring")
def contract_expiring(ctx: Context, last_day: datetime.date) -> set[int]:
    low, high = _shifted(ctx, last_day, settings.ALERT_CONTRACT_EXPIRY_DAYS)
    ending = Contract.objects.filter(end_date__gt=low, end_date__lte=high)
    return _projects(ctx.scope(ending, "roster_entry__project_id"), "roster_entry__project_id")


@due("id_expiring")
def id_expiring(ctx: Context, last_day: datetime.date) -> set[int]:
    low, high = _shifted(ctx, last_day, settings.ALERT_ID_EXPIRY_DAYS)
    return _projects(_on_site(ctx).filter(person__id_valid_to__gt=low, person__id_valid_to__lte=high))


def _birthdays(days: Iterable[datetime.date]) -> Q:
    condition = Q(pk__in=[])
    for day in days:
        condition |= Q(person__birth_date__month=day.month, person__birth_date__day=day.day)
        if (day.month, day.day) in ((2, 28), (3, 1)):  # 29 Feb birthdays count on one of them
            condition |= Q(person__birth_date__month=2, person__birth_date__day=29)
    return condition


@due("age_limit")
def age_limit(ctx: Context, last_day: datetime.date) -> set[int]:
    # An age (the fact, the upper limit, the minimum age) changes on a birthday only.
    span = (ctx.today - last_day).days
    days = [last_day + timedelta(days=n) for n in range(1, span + 1)]
    return _projects(_on_site(ctx).filter(_birthdays(days))) if days else set()


def _entered(ctx: Context, model, last_day: datetime.date, grace: int) -> set[int]:
    low, high = _shifted(ctx, last_day, -grace)
    return _projects(
        ctx.scope(model.objects.filter(exit_date__isnull=True, entry_date__gt=low, entry_date__lte=high))
    )


@due("team_empty")
def team_empty(ctx: Context, last_day: datetime.date) -> set[int]:
    return _entered(ctx, Team, last_day, settings.ALERT_EMPTY_TEAM_DAYS)


@due("wage_clerk_missing")
def wage_clerk_missing(ctx: Context, last_day: datetime.date) -> set[int]:
    return _entered(ctx, ParticipatingUnit, last_day, settings.ALERT_WAGE_CLERK_DAYS)


@due("key_post_vacant")
def key_post_vacant(ctx: Context, last_day: datetime.date) -> set[int]:
    return _entered(ctx, ParticipatingUnit, last_day, settings.ALERT_KEY_POST_DAYS)


@due("training_missing")
def training_missing(ctx: Context, last_day: datetime.date) -> set[int]:
    from training.gate import months_before
    from training.models import ENTRY_TRAINING_TYPES, TrainingAttendee

    months = settings.RETRAIN_AFTER_MONTHS
    # A training counts on [today - months, today]: it stops counting once its date falls before the
    # window, and a training recorded ahead of its date starts counting on the day.
    expired = Q(training__training_date__gte=months_before(last_day, months)) & Q(
        training__training_date__lt=months_before(ctx.today, months)
    )
    started = Q(training__training_date__gt=last_day, training__training_date__lte=ctx.today)
    persons = TrainingAttendee.objects.filter(training__training_type__in=ENTRY_TRAINING_TYPES).filter(
        expired | started
    )
    return _on_site_of(ctx, persons.values("person_id"))


def _certificates(ctx: Context, condition: Q) -> set[int]:
    from training.models import PersonalCertification

    return _on_site_of(ctx, PersonalCertification.objects.filter(condition).values("person_id"))


@due("certificate_missing")
def certificate_missing(ctx: Context, last_day: datetime.date) -> set[int]:
    # Valid while valid_until ≥ today: ends for the certificates whose last day is in [D, D').
    return _certificates(ctx, Q(valid_until__gte=last_day, valid_until__lt=ctx.today))


@due("certificate_expiring")
def certificate_expiring(ctx: Context, last_day: datetime.date) -> set[int]:
    low, high = _shifted(ctx, last_day, settings.ALERT_CERTIFICATE_EXPIRY_DAYS)
    return _certificates(ctx, Q(valid_until__gt=low, valid_until__lte=high))


@due("certificate_review_overdue")
def certificate_review_overdue(ctx: Context, last_day: datetime.date) -> set[int]:
    return _certificates(ctx, Q(review_date__gte=last_day, review_date__lt=ctx.today))


@due("wage_overdue")
def wage_overdue(ctx: Context, last_day: datetime.date) -> set[int]:
    """The projects with a month whose pay deadline passed the rule's cutoff between the runs."""
    from wages.arrears import DEFAULT_PAY_DAY, _months_back, pay_days_of, pay_deadline

    from .wage_rules import followed

    lag = timedelta(days=settings.ALERT_WAGE_OVERDUE_DAYS)
    old, new = last_day - lag, ctx.today - lag
    project_ids = list(ctx.scope(Project.objects.all(), "pk").order_by().values_list("pk", flat=True))
    pay_days = pay_days_of(project_ids)
    window = set(_months_back(new, settings.ALERT_WAGE_WINDOW_MONTHS))
    by_project: dict[int, set] = {}
    for project_id, month in followed(ctx):
        by_project.setdefault(project_id, set()).add(month)
    hit = set()
    for project_id in project_ids:
        day = pay_days.get(project_id, DEFAULT_PAY_DAY)
        if any(old <= pay_deadline(m, day) < new for m in window | by_project.get(project_id, set())):
            hit.add(project_id)
    return hit
