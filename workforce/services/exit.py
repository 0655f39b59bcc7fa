"""人员退场 (docs/requirements.md §7): exit and batch exit."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from enterprises.services import check_not_before, check_not_future
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.signals import records_changed

from ..models import RosterEntry


@transaction.atomic
def exit_roster_entries(actor: Actor, entries, exit_date: date, *, reason: str = "") -> int:
    """Exit every on-site entry of `entries` on `exit_date` (all or none). Returns how many exited.

    Exit dates are never in the future and never before the entry date; the first entry that breaks
    a rule stops the whole step with a message naming the person.
    """
    check_not_future(exit_date, "退场日期")
    on_site = list(
        entries.filter(exit_date__isnull=True)
        .select_related("person", "project")
        .select_for_update(of=("self",))
    )
    for entry in on_site:
        try:
            check_not_before(exit_date, entry.entry_date, "退场日期", "进场日期")
        except ValidationError as exc:
            raise ValidationError(f"{entry.person}：{exc.messages[0]}") from None
    # One UPDATE and one audit INSERT however many exit (a unit's exit can take hundreds along).
    RosterEntry.objects.filter(pk__in=[e.pk for e in on_site]).update(
        exit_date=exit_date, updated_at=timezone.now()
    )
    rows = []
    for entry in on_site:
        entry.exit_date = exit_date
        rows.append(
            audit.build(
                actor,
                "roster.exit",
                entry,
                project=entry.project,
                summary=f"人员退场：{entry.person}" + (f"（{reason}）" if reason else ""),
                before={"exit_date": None},
                after={"exit_date": exit_date},
            )
        )
    audit.record_many(rows)
    records_changed.send(
        RosterEntry, project_ids={e.project_id for e in on_site}
    )  # update() sends no post_save
    return len(on_site)
