"""Enterprise, participating-unit and team actions (docs/requirements.md §5–§6).

Order rules live here and are used by pages, the Excel import and the API alike: a unit must be on
site before its teams, a team on site before its workers; exit dates are never before entry dates
and never in the future.

One module per record: rules (the order rules on dates and teams), library (企业库), teams
(班组, with each unit's 管理人员班组), units (参建单位); the names stay importable from
`enterprises.services`.
"""

from __future__ import annotations

from .library import (
    EDIT_REFUSED,
    MANAGEMENT_TEAM_LOCKED,
    can_edit_enterprise,
    can_see_licence,
    delete_enterprise,
    edit_note,
    editable_by,
    find_or_register_enterprise,
    is_supervisor_or_admin,
    project_may_edit,
    update_enterprise,
)
from .rules import check_not_before, check_not_future, check_team_accepts_entry
from .teams import (
    NORMAL_TEAM_TYPES,
    add_team,
    check_unit_accepts_team,
    delete_team,
    exit_team,
    reenter_team,
    refuse_management_team,
    update_team,
)
from .units import (
    UnitEntryRefused,
    delete_unit,
    enter_unit,
    exit_unit,
    reenter_unit,
    unit_on_site_counts,
    update_unit,
)

__all__ = [
    "UnitEntryRefused",
    "EDIT_REFUSED",
    "MANAGEMENT_TEAM_LOCKED",
    "edit_note",
    "editable_by",
    "project_may_edit",
    "NORMAL_TEAM_TYPES",
    "add_team",
    "can_edit_enterprise",
    "can_see_licence",
    "check_not_before",
    "check_not_future",
    "check_team_accepts_entry",
    "check_unit_accepts_team",
    "delete_enterprise",
    "delete_team",
    "delete_unit",
    "enter_unit",
    "exit_team",
    "exit_unit",
    "find_or_register_enterprise",
    "is_supervisor_or_admin",
    "reenter_team",
    "reenter_unit",
    "refuse_management_team",
    "unit_on_site_counts",
    "update_enterprise",
    "update_team",
    "update_unit",
]
