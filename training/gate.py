"""The entry gate (建市〔2022〕59号 art. 8): a worker receives basic safety training before entering the
site. Called by every entry path through workforce's one check (workforce.hooks.entry_checking).

A worker is trained for an entry on day D when he passed a 安全教育 or 入场教育 (in any project: the
training is his) dated within settings.ENTRY_TRAINING_DAYS before D or on D itself; or an older one
while he has been on a site within settings.RETRAIN_AFTER_MONTHS before D (a stay open then, or closed
since). A worker away from every site that long needs a fresh training. A 工种 with a certificate
requirement (WorkTypeCertificate: the special trades) also needs a certificate of that type valid on
D (status 有效, not past its date). settings.ENTRY_CHECKS says what a missing one does: "off" nothing,
"warn" a warning to confirm, "require" an error.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max

from .certificates import CertificateStatus
from .models import ENTRY_TRAINING_TYPES, PersonalCertification, TrainingAttendee, WorkTypeCertificate

OFF, WARN, REQUIRE = "off", "warn", "require"


def entry_checks_mode() -> str:
    mode = str(getattr(settings, "ENTRY_CHECKS", WARN)).strip().lower()
    return mode if mode in (OFF, WARN, REQUIRE) else WARN


def months_before(day: date, months: int) -> date:
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def untrained(entries: list[tuple[int, date]]) -> dict[int, str]:
    """(person id, day) pairs → person id → why he is not trained for that day (absent: trained).

    Two queries for any number of pairs: the persons' passed entry trainings up to the latest day,
    and, for those with only an older training, their most recent stay on any site."""
    if not entries:
        return {}
    person_ids = {pid for pid, _ in entries}
    latest = max(day for _, day in entries)
    passed: dict[int, list[date]] = {}
    rows = TrainingAttendee.objects.filter(
        person_id__in=person_ids,
        passed=True,
        training__training_type__in=ENTRY_TRAINING_TYPES,
        training__training_date__lte=latest,
    ).values_list("person_id", "training__training_date")
    for pid, day in rows:
        passed.setdefault(pid, []).append(day)
    window = timedelta(days=max(settings.ENTRY_TRAINING_DAYS, 0))
    older: list[tuple[int, date]] = []
    reasons: dict[int, str] = {}
    for pid, day in entries:
        days = [d for d in passed.get(pid, ()) if d <= day]
        if any(day - d <= window for d in days):
            continue
        if days:
            older.append((pid, day))
        else:
            reasons[pid] = "未参加安全教育或入场教育（或考核不合格）"
    if older:
        from workforce.models import RosterEntry

        last_on_site = dict(
            RosterEntry.objects.filter(person_id__in={pid for pid, _ in older})
            .values("person_id")
            .annotate(last=Max("exit_date"))
            .values_list("person_id", "last")
        )
        open_stays = set(
            RosterEntry.objects.filter(person_id__in={pid for pid, _ in older}, exit_date__isnull=True)
            .values_list("person_id", flat=True)
            .distinct()
        )
        months = settings.RETRAIN_AFTER_MONTHS
        for pid, day in older:
            last = last_on_site.get(pid)
            if pid in open_stays or (last is not None and last >= months_before(day, months)):
                continue
            reasons[pid] = f"已超过{months}个月未在任何工地务工，须重新参加安全教育或入场教育"
    return reasons


def uncertified(entries: list[tuple[int, int | None, date]]) -> dict[tuple[int, int | None], str]:
    """(person id, 工种 id, day) triples → (person id, 工种 id) → the certificate type he lacks.

    Two queries for any number of triples."""
    rules = dict(
        WorkTypeCertificate.objects.filter(work_type_id__in={w for _, w, _ in entries if w}).values_list(
            "work_type_id", "certificate_type"
        )
    )
    needed = [(pid, wid, day) for pid, wid, day in entries if wid in rules]
    if not needed:
        return {}
    held: dict[tuple[int, str], list[date | None]] = {}
    rows = PersonalCertification.objects.filter(
        person_id__in={pid for pid, _, _ in needed},
        certificate_type__in=set(rules.values()),
        status=CertificateStatus.VALID,
    ).values_list("person_id", "certificate_type", "valid_until")
    for pid, kind, until in rows:
        held.setdefault((pid, kind), []).append(until)
    labels = dict(WorkTypeCertificate._meta.get_field("certificate_type").choices)
    missing = {}
    for pid, wid, day in needed:
        kind = rules[wid]
        if not any(until is None or until >= day for until in held.get((pid, kind), ())):
            missing[(pid, wid)] = labels.get(kind, kind)
    return missing


def check_entry_training(sender, project, requests, check, **kwargs) -> None:
    """workforce.hooks.entry_checking: the training and certificate rules for every request of one entry."""
    mode = entry_checks_mode()
    if mode == OFF:
        return
    known = [
        (i, r)
        for i, r in enumerate(requests)
        if r.person is not None and r.person.pk and i not in check.errors
    ]
    reasons = untrained([(r.person.pk, r.entry_date) for _, r in known])
    missing = uncertified([(r.person.pk, getattr(r.work_type, "pk", None), r.entry_date) for _, r in known])
    kind = check.errors if mode == REQUIRE else check.warnings
    for index, request in known:
        person, problems = request.person, []
        if person.pk in reasons:
            problems.append(reasons[person.pk])
        lacking = missing.get((person.pk, getattr(request.work_type, "pk", None)))
        if lacking:
            problems.append(f"工种“{request.work_type}”须持有效的{lacking}证书，未查到")
        if not problems:
            continue
        if mode == REQUIRE:
            message = f"{person}：{'；'.join(problems)}，不能进场。请先录入其培训记录或证书。"
        else:
            message = f"{person}：{'；'.join(problems)}，请确认（进场后请及时补录）。"
        kind.setdefault(index, []).append(message)
