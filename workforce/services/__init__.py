"""Roster actions (docs/requirements.md §7), shared by the pages, the API and the Excel import.

- `save_person` / `upsert_person`: create or correct a person of the 人员库, found by 证件类型 +
  证件号码; what the project may not change becomes a proposal (`decide_proposal`).
- `set_pay_card`: the 工资卡 a project pays a worker into (one per project).
- `check_entries` / `enter_persons`: the one entry action. Every rule is checked for every request
  first, with a constant number of queries however many requests there are (the Excel import checks
  thousands of rows at once); then all or none are written.
- `exit_roster_entries`: exit and batch exit.

One module per action: persons (人员库), entry (人员进场), exit (人员退场); the names stay
importable from `workforce.services`.
"""

from __future__ import annotations

from .cards import card_of, set_pay_card
from .entry import EntryCheck, EntryRefused, EntryRequest, check_entries, enter_persons, on_site_elsewhere
from .exit import exit_roster_entries
from .persons import (
    PERSON_DATA_KEYS,
    PersonSaved,
    discard_stored_files,
    existing_person,
    save_person,
    upsert_person,
)
from .proposals import decide_proposal

__all__ = [
    "EntryCheck",
    "EntryRefused",
    "EntryRequest",
    "PERSON_DATA_KEYS",
    "PersonSaved",
    "card_of",
    "decide_proposal",
    "existing_person",
    "save_person",
    "set_pay_card",
    "check_entries",
    "discard_stored_files",
    "enter_persons",
    "exit_roster_entries",
    "on_site_elsewhere",
    "upsert_person",
]
