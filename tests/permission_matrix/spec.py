"""Building blocks for expectations.

A persona's expected answer is a status code, a tuple of acceptable codes, or LOGIN (a redirect to
the login page). Personas: anonymous, other (another project's account), supervisor, own (the
project's own account). For URLs with object ids besides project_id, the matrix also asks as the
other project's account with *its own* project id and the first project's object ids: that must be
404 too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LOGIN = "login"
OK = (200,)
OK_OR_REDIRECT = (200, 302)


@dataclass(frozen=True)
class Expect:
    anonymous: object = LOGIN
    other: object = 404
    supervisor: object = OK
    own: object = OK
    method: str = "GET"
    data: dict = field(default_factory=dict)  # form data for POST, query parameters for GET


# A page inside a project: its account reads it, a supervisor reads it, nobody else sees it.
PROJECT_PAGE = Expect()
# A change inside a project: only its own account; supervisors (who can see the project) get 403.
PROJECT_ACTION = Expect(method="POST", supervisor=403, own=(200, 302, 400))
# A form page that changes project data (GET shows the form): supervisors may not open it.
PROJECT_FORM = Expect(supervisor=403)
# Supervisor-only pages: other roles get 404 (the page does not exist for them).
SUPERVISOR_PAGE = Expect(other=404, own=404, supervisor=OK)
# Any signed-in user (e.g. the shared enterprise library).
SIGNED_IN_PAGE = Expect(other=OK, own=OK, supervisor=OK)
# Public pages.
PUBLIC_PAGE = Expect(anonymous=OK, other=OK, supervisor=OK, own=OK)
