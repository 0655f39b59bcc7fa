"""Collect a person and enter him in one step (the 采集 page and the 采集人员上传接口, docs/requirements.md §7, §10).

A person already in the 人员库 whom this project may not change yet (workforce.person_rights) is
entered first and then changed as a person of this project's roster, all in one transaction: a
worker arriving at a new site is collected there with his face photo, and a refused entry leaves
him exactly as he was. The change is audited in every project where he is on site.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from jmzhgd.core.actor import Actor

from .models import Person, RosterEntry
from .person_rights import PersonChangeRefused
from .services import EntryRequest, discard_stored_files, enter_persons, upsert_person

RequestsFor = Callable[[Person], list[EntryRequest]]


@transaction.atomic
def enter_then_update(
    actor: Actor,
    project,
    person: Person,
    data: dict,
    *,
    source: str,
    requests_for: RequestsFor,
    confirm_warnings: bool = False,
) -> tuple[Person, list[RosterEntry]]:
    """Enter `person` into `project`, then apply `data` to him (all or nothing)."""
    entries = enter_persons(actor, project, requests_for(person), confirm_warnings=confirm_warnings)
    person, _ = upsert_person(actor, data, source=source, project=project)
    return person, entries


@transaction.atomic
def upsert_and_enter(
    actor: Actor,
    project,
    data: dict,
    *,
    source: str,
    requests_for: RequestsFor | None,
    confirm_warnings: bool = False,
) -> tuple[Person, bool, list[RosterEntry]]:
    """upsert_person, then (with `requests_for`) enter_persons, in one transaction."""
    try:
        person, created = upsert_person(actor, data, source=source, project=project)
    except PersonChangeRefused as refused:
        if requests_for is None:
            raise
        person, entries = enter_then_update(
            actor,
            project,
            refused.person,
            data,
            source=source,
            requests_for=requests_for,
            confirm_warnings=confirm_warnings,
        )
        return person, False, entries
    if requests_for is None:
        return person, created, []
    try:
        entries = enter_persons(actor, project, requests_for(person), confirm_warnings=confirm_warnings)
    except BaseException:
        discard_stored_files(person, data)  # the person's row rolls back with the refused entry
        raise
    return person, created, entries
