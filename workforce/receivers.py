"""What the workforce floor does when a floor below it calls (README "Floors")."""

from __future__ import annotations

from .models import RosterEntry
from .services import exit_roster_entries


def exit_workers_with(sender, actor, exit_date, reason, members, **kwargs) -> int:
    """enterprises' `members_exiting`: the workers of an exiting unit or team exit with it (docs/requirements.md §6)."""
    return exit_roster_entries(actor, RosterEntry.objects.filter(**members), exit_date, reason=reason)
