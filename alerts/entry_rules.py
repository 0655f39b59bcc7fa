"""The 进场 rules (建市〔2022〕59号 art. 8 and the 特种作业 rules; docs/entry-checks.md): trainings and
certificates of the workers on site. Each is one set-based query, as in alerts.rules.

- 在场无安全培训: on site without a passed 安全教育/入场教育 within the last RETRAIN_AFTER_MONTHS
  (any project's: the training is the worker's). Recording his training closes it.
- 特种作业无有效证书: a 工种 with a certificate requirement and no certificate of that type valid today.
- 证书即将到期或已过期: a 有效 certificate of a worker on site ends within ALERT_CERTIFICATE_EXPIRY_DAYS
  or has ended.
- 证书复审逾期: a 有效 certificate's 下次复审日期 has passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from .registry import Context, Finding, rule
from .rules import PERSON_FIELDS, _date, _on_site, _person_findings

TRAINING_RULES = ("training_missing",)
CERTIFICATE_RULES = ("certificate_missing", "certificate_expiring", "certificate_review_overdue")
ENTRY_RULES = (*TRAINING_RULES, *CERTIFICATE_RULES)


@rule(
    "training_missing",
    "在场无安全培训",
    "在场人员最近 {RETRAIN_AFTER_MONTHS} 个月内没有考核合格的安全教育或入场教育记录（建市〔2022〕59号第八条）。",
)
def training_missing(ctx: Context) -> Iterable[Finding]:
    from training.gate import months_before
    from training.models import ENTRY_TRAINING_TYPES, TrainingAttendee

    since = months_before(ctx.today, settings.RETRAIN_AFTER_MONTHS)
    trained = TrainingAttendee.objects.filter(
        person_id=OuterRef("person_id"),
        passed=True,
        training__training_type__in=ENTRY_TRAINING_TYPES,
        training__training_date__range=(since, ctx.today),
    )
    rows = _on_site(ctx).filter(~Exists(trained)).values_list(*PERSON_FIELDS, "entry_date")
    return _person_findings(rows, lambda row: {"进场日期": _date(row[5])})


@rule(
    "certificate_missing",
    "特种作业无有效证书",
    "在场人员的工种须持特种作业证书，但没有该类型的有效证书（无证、过期、暂扣或注销）。",
)
def certificate_missing(ctx: Context) -> Iterable[Finding]:
    from training.certificates import CertificateStatus, CertificateType
    from training.models import PersonalCertification

    valid = PersonalCertification.objects.filter(
        person_id=OuterRef("person_id"),
        certificate_type=OuterRef("work_type__certificate_rule__certificate_type"),
        status=CertificateStatus.VALID,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=ctx.today))
    rows = (
        _on_site(ctx)
        .filter(work_type__certificate_rule__isnull=False)
        .filter(~Exists(valid))
        .values_list(*PERSON_FIELDS, "work_type__name", "work_type__certificate_rule__certificate_type")
    )
    types = dict(CertificateType.choices)
    return _person_findings(rows, lambda row: {"工种": row[5], "须持证书": types.get(row[6], row[6])})


def _certificate_findings(ctx: Context, condition: Q, day_field: str, fact: str) -> Iterable[Finding]:
    """Workers on site with a 有效 certificate meeting `condition`: two queries."""
    from training.certificates import CertificateStatus, CertificateType
    from training.models import PersonalCertification

    types = dict(CertificateType.choices)
    certificates = PersonalCertification.objects.filter(
        condition, status=CertificateStatus.VALID, person_id__in=_on_site(ctx).values("person_id")
    ).order_by("certificate_type", day_field)
    facts: dict[int, list[str]] = {}
    for person_id, kind, day in certificates.values_list("person_id", "certificate_type", day_field):
        facts.setdefault(person_id, []).append(f"{types.get(kind, kind)} {_date(day)}")
    if not facts:
        return
    rows = _on_site(ctx).filter(person_id__in=facts).values_list(*PERSON_FIELDS)
    yield from _person_findings(rows, lambda row: {fact: "；".join(facts[row[1]])})


@rule(
    "certificate_expiring",
    "证书即将到期或已过期",
    "在场人员的有效证书在 {ALERT_CERTIFICATE_EXPIRY_DAYS} 天内到期或已经过期。",
)
def certificate_expiring(ctx: Context) -> Iterable[Finding]:
    horizon = ctx.today + timedelta(days=settings.ALERT_CERTIFICATE_EXPIRY_DAYS)
    return _certificate_findings(ctx, Q(valid_until__lte=horizon), "valid_until", "证书及有效期至")


@rule("certificate_review_overdue", "证书复审逾期", "在场人员的有效证书已过下次复审日期，尚未复审。")
def certificate_review_overdue(ctx: Context) -> Iterable[Finding]:
    return _certificate_findings(ctx, Q(review_date__lt=ctx.today), "review_date", "证书及复审日期")
