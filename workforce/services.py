"""Roster actions (SPEC §7). Entry goes through the wizard's action; exit through exit_roster_entries."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from enterprises.services import check_not_before, check_not_future
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor


@transaction.atomic
def exit_roster_entries(actor: Actor, entries, exit_date: date, *, reason: str = "") -> int:
    """Exit every on-site entry of `entries` on `exit_date` (all or none). Returns how many exited.

    Exit dates are never in the future and never before the entry date; the first entry that breaks
    a rule stops the whole step with a message naming the person.
    """
    check_not_future(exit_date, "退场日期")
    on_site = list(
        entries.filter(exit_date__isnull=True).select_related("person").select_for_update(of=("self",))
    )
    for entry in on_site:
        try:
            check_not_before(exit_date, entry.entry_date, "退场日期", "进场日期")
        except ValidationError as exc:
            raise ValidationError(f"{entry.person.name}：{exc.messages[0]}") from None
    for entry in on_site:
        entry.exit_date = exit_date
        entry.save(update_fields=["exit_date", "updated_at"])
        audit.record(
            actor,
            "roster.exit",
            entry,
            project=entry.project,
            summary=f"人员退场：{entry.person.name}" + (f"（{reason}）" if reason else ""),
            before={"exit_date": None},
            after={"exit_date": exit_date},
        )
    return len(on_site)
