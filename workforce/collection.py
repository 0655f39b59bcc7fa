"""Collect a person and enter him in one step (the 采集 page and the 采集人员上传接口, docs/requirements.md §7, §10).

A person already in the 人员库 is entered first and then changed, all in one transaction, so the
rights of workforce.person_rights are judged with the new stay in place: a worker arriving at a new
site from nowhere else is this project's to complete (his face photo, his phone), while one still
on site elsewhere keeps his identity and the differences become a proposal. A refused entry leaves
him exactly as he was.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from jmzhgd.core.actor import Actor

from .models import Person, RosterEntry
from .services import (
    EntryRequest,
    PersonSaved,
    discard_stored_files,
    enter_persons,
    existing_person,
    save_person,
)

RequestsFor = Callable[[Person], list[EntryRequest]]


@transaction.atomic
def upsert_and_enter(
    actor: Actor,
    project,
    data: dict,
    *,
    source: str,
    requests_for: RequestsFor | None,
    confirm_warnings: bool = False,
    card_read: bool = False,
) -> tuple[PersonSaved, list[RosterEntry]]:
    """save_person and (with `requests_for`) enter_persons, in one transaction."""
    person = existing_person(data) if requests_for is not None else None
    if person is not None:
        entries = enter_persons(actor, project, requests_for(person), confirm_warnings=confirm_warnings)
        saved = save_person(actor, data, source=source, project=project, card_read=card_read)
        return saved, entries
    saved = save_person(actor, data, source=source, project=project, card_read=card_read)
    if requests_for is None:
        return saved, []
    try:
        entries = enter_persons(actor, project, requests_for(saved.person), confirm_warnings=confirm_warnings)
    except BaseException:
        discard_stored_files(saved.person, data)  # the person's row rolls back with the refused entry
        raise
    return saved, entries
