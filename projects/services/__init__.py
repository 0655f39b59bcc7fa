"""Project actions. Each validates, writes and audits in one transaction (docs/architecture.md pattern 2).

One module per feature: creation (project codes, projects, project accounts), declarations
(项目申报 and its review), accounts (supervisors' account care), library (项目库: location, 场所码,
project information); the names stay importable from `projects.services`.
"""

from __future__ import annotations

from .accounts import create_project_directly, reset_account_password, set_account_active
from .creation import (
    PROJECT_CODE_ATTEMPTS,
    account_username_for,
    create_project,
    generate_initial_password,
    issue_project_account,
    next_project_code,
)
from .declarations import (
    DECLARATION_MAX_ATTACHMENTS,
    DECLARATION_RATE_LIMIT,
    DECLARATION_RATE_WINDOW,
    DECLARED_PROJECT_FIELDS,
    approve_declaration,
    check_declaration_rate,
    establish_project,
    find_declaration,
    pending_duplicate,
    reject_declaration,
    submit_declaration,
)
from .library import (
    CHINA_BOUNDS,
    JIANGMEN_BOUNDS,
    SIX_PLACES,
    check_coordinates,
    register_place_code,
    set_project_location,
    set_site_fences,
    update_project,
)

__all__ = [
    "CHINA_BOUNDS",
    "DECLARATION_MAX_ATTACHMENTS",
    "DECLARATION_RATE_LIMIT",
    "DECLARATION_RATE_WINDOW",
    "DECLARED_PROJECT_FIELDS",
    "JIANGMEN_BOUNDS",
    "PROJECT_CODE_ATTEMPTS",
    "SIX_PLACES",
    "account_username_for",
    "approve_declaration",
    "check_coordinates",
    "check_declaration_rate",
    "create_project",
    "create_project_directly",
    "establish_project",
    "find_declaration",
    "generate_initial_password",
    "issue_project_account",
    "next_project_code",
    "pending_duplicate",
    "register_place_code",
    "reject_declaration",
    "reset_account_password",
    "set_account_active",
    "set_project_location",
    "set_site_fences",
    "submit_declaration",
    "update_project",
]
