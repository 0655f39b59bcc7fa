"""Calls the enterprises floor makes into the floors above it (README "Floors").

A unit's or a team's exit takes its workers with it (docs/requirements.md §6), but the roster lives on the
workforce floor, above enterprises: workforce connects here in its AppConfig.ready.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the exit's transaction with `actor`, `exit_date`, `reason` and `members`, the
# lookup of what hangs on the exiting unit or team (`{"unit": unit}` or `{"team": team}`). Each
# receiver exits its own rows and returns how many; one that raises rolls the whole exit back.
members_exiting = Signal()


def exit_members(actor, exit_date, reason: str, **members) -> int:
    """Send `members_exiting` and add up the receivers' counts (the workers who exited)."""
    answers = members_exiting.send(
        sender=None, actor=actor, exit_date=exit_date, reason=reason, members=members
    )
    return sum(count for _, count in answers)


# Sent by services.enter_unit before an enterprise enters (or re-enters) a project, with `project`,
# `enterprise`, `entry_date` and two lists a receiver appends Chinese messages to: `warnings` (the
# user confirms them) and `errors` (the entry is refused). The 诚信 lists connect here (credit.gate).
unit_entry_checking = Signal()


def check_unit_entry(project, enterprise, entry_date) -> tuple[list[str], list[str]]:
    """Send `unit_entry_checking`; returns (warnings, errors)."""
    warnings: list[str] = []
    errors: list[str] = []
    unit_entry_checking.send(
        sender=None,
        project=project,
        enterprise=enterprise,
        entry_date=entry_date,
        warnings=warnings,
        errors=errors,
    )
    return warnings, errors
