"""The lists at 进场 and at 参建单位 add (docs/credit.md §4): a worker or an enterprise on a 黑名单 or
the 失信联合惩戒对象名单 on the entry day gives a message naming the list, who listed it and until
when. settings.BLACKLIST_AT_ENTRY says what it does: "warn" (default) a warning the user confirms,
"require" a refusal. Never a silent block.

Workers: through workforce's one check (workforce.hooks.entry_checking), so the wizard, the batch
import, 采集 and the API all ask. Enterprises: through enterprises.hooks.unit_entry_checking, sent by
enterprises.services.enter_unit.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Q

from .codes import LIST_KINDS
from .models import CreditRecord

WARN, REQUIRE = "warn", "require"


def lists_mode() -> str:
    mode = str(getattr(settings, "BLACKLIST_AT_ENTRY", WARN)).strip().lower()
    return mode if mode in (WARN, REQUIRE) else WARN


def listing_text(record: CreditRecord) -> str:
    until = f"，至{record.end_date:%Y-%m-%d}" if record.end_date else ""
    return f"已列入{record.get_kind_display()}（{record.issuer}{until}）"


def listed(*, person_ids=(), enterprise_ids=(), day: date) -> dict[tuple[str, int], list[str]]:
    """("person"|"enterprise", id) → the lists it is on, on `day`. One query for any number."""
    if not person_ids and not enterprise_ids:
        return {}
    rows = CreditRecord.objects.in_force_on(day).filter(kind__in=LIST_KINDS)
    rows = rows.filter(Q(person_id__in=list(person_ids)) | Q(enterprise_id__in=list(enterprise_ids)))
    found: dict[tuple[str, int], list[str]] = {}
    for record in rows.order_by("start_date", "id"):
        key = ("person", record.person_id) if record.person_id else ("enterprise", record.enterprise_id)
        found.setdefault(key, []).append(listing_text(record))
    return found


def _message(name: str, lists: list[str], mode: str, what: str) -> str:
    if mode == REQUIRE:
        return f"{name}：{'；'.join(lists)}，不能{what}。"
    return f"{name}：{'；'.join(lists)}，请核实后确认{what}。"


def check_entry_lists(sender, project, requests, check, **kwargs) -> None:
    """workforce.hooks.entry_checking: the worker lists for every request of one entry (one query
    per distinct entry day, usually one)."""
    mode = lists_mode()
    known = [
        (i, r)
        for i, r in enumerate(requests)
        if r.person is not None and r.person.pk and i not in check.errors
    ]
    by_day: dict[date, set[int]] = {}
    for _, request in known:
        by_day.setdefault(request.entry_date, set()).add(request.person.pk)
    found = {day: listed(person_ids=ids, day=day) for day, ids in by_day.items()}
    kind = check.errors if mode == REQUIRE else check.warnings
    for index, request in known:
        lists = found[request.entry_date].get(("person", request.person.pk))
        if lists:
            kind.setdefault(index, []).append(_message(str(request.person), lists, mode, "进场"))


def check_unit_lists(sender, project, enterprise, entry_date, warnings, errors, **kwargs) -> None:
    """enterprises.hooks.unit_entry_checking: the enterprise lists when it joins a project."""
    lists = listed(enterprise_ids=[enterprise.pk], day=entry_date).get(("enterprise", enterprise.pk))
    if lists:
        mode = lists_mode()
        (errors if mode == REQUIRE else warnings).append(
            _message(enterprise.name, lists, mode, "作为参建单位进场")
        )
