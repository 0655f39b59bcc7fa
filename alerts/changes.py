"""Which projects' records changed since a moment, read from the audit log (docs/alerts.md §2).

Every action of consequence writes its audit row inside its own transaction (docs/architecture.md
pattern 2), deletions and bulk updates included, which no `updated_at` column sees. So the audit
log is the change log: the projects of the rows written since the last run are the projects whose
rule inputs may have changed. Actions that change no rule's input (logins, exports, reading an ID
number, the 预警中心's own rows, punches: the rules that read attendance run in full) are skipped,
by name: an action added later counts as a change until it is listed here.

A change to a shared record reaches beyond the acting project: a training counts for every project
the worker is on site at, so a training's rows also mark the projects where its attendees are on site;
a person's and a certificate's rows are written once per project holding him on site. A row
without a project that is not one of these marks every project (ALL).
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from jmzhgd.core.models import AuditLog

ALL = None  # every project

# Actions that change no input of an evaluated rule.
IGNORED_PREFIXES = ("auth.", "api_token.", "api_credential.", "alert.", "exchange.", "punch.", "attendance.")
IGNORED_ACTIONS = {
    "account.issue",
    "account.reset_password",
    "account.disable",
    "account.enable",
    "declaration.submit",
    "declaration.approve",  # the project it creates holds nothing yet; its own rows follow
    "declaration.reject",
    "person.reveal_id",
    "person.propose",
    "person.proposal_reject",
    "contract.scan_add",
    "contract.scan_remove",
    "device.create",  # devices: rule device_silent runs in full
    "device.update",
    "device.deactivate",
    "enterprise.register",  # a new enterprise is on no project yet
    "payroll.sign_identity",
    "selfservice.lookup",
}
ENTERPRISE = "enterprises.Enterprise"
TRAINING_ACTIONS = (
    "training.attendees_add",
    "training.attendees_remove",
    "training.results",
    "training.update",
)


def _ignored() -> Q:
    condition = Q(action__in=IGNORED_ACTIONS) | Q(action__endswith="export")
    for prefix in IGNORED_PREFIXES:
        condition |= Q(action__startswith=prefix)
    return condition


def changed_projects(since: datetime.datetime) -> set[int] | None:
    """The projects whose rule inputs may have changed since `since`, or ALL."""
    rows = AuditLog.objects.filter(created_at__gte=since).exclude(_ignored()).order_by()
    projects = set(rows.exclude(project_id=None).values_list("project_id", flat=True).distinct())
    unplaced = rows.filter(project_id=None).values_list("object_type", flat=True).distinct()
    if set(unplaced) - {"workforce.Person", "training.PersonalCertification", ENTERPRISE}:
        return ALL  # (a person's rows: audited once per project holding him, which the rows above cover)
    # An enterprise's name is in its units' and teams' alerts, on every project it works on.
    enterprises = {
        int(i) for i in rows.filter(object_type=ENTERPRISE).values_list("object_id", flat=True) if i.isdigit()
    }
    if enterprises:
        from enterprises.models import ParticipatingUnit

        units = ParticipatingUnit.objects.filter(enterprise_id__in=enterprises).order_by()
        projects |= set(units.values_list("project_id", flat=True).distinct())
    trainings = _training_persons(rows.filter(action__in=TRAINING_ACTIONS))
    if trainings is ALL:
        return ALL
    if trainings:
        from workforce.models import RosterEntry

        on_site = RosterEntry.objects.filter(person_id__in=trainings, exit_date__isnull=True).order_by()
        projects |= set(on_site.values_list("project_id", flat=True).distinct())
    return projects


def _training_persons(rows) -> set[int] | None:
    """The persons whose trainings changed in `rows`: the attendees of the trainings changed, and the
    persons a removal names (a removed attendee is no longer among them)."""
    from training.models import TrainingAttendee

    trainings, persons = set(), set()
    for action, object_id, before in rows.values_list("action", "object_id", "before"):
        if object_id.isdigit():
            trainings.add(int(object_id))
        if action == "training.attendees_remove":
            named = (before or {}).get("person_ids")
            if not isinstance(named, list):
                return ALL  # a row written before removals named the persons
            persons.update(int(p) for p in named)
    if trainings:
        attendees = TrainingAttendee.objects.filter(training_id__in=trainings).order_by()
        persons |= set(attendees.values_list("person_id", flat=True))
    return persons
