"""Who may change a shared person of the 人员库 (docs/requirements.md §7; docs/architecture.md pattern 10).

The 人员库 is city-wide: every project reads it to choose whom to enter, but a person's details
(and above all the 工资卡 his wages are paid to and the face photo the attendance devices sync)
are changed only by a project that has him on site:

- a project changes a person only while he is on its own roster, or when nobody has ever had him
  on a roster (a person just collected, or loaded from the old platform);
- 工资卡 and face photo only while he is on its own roster;
- the platform itself (`project=None`: the legacy import command) may always change him.

Supervisors never reach these actions: they read projects and change nothing in them
(jmzhgd.core.access.can_write_project). A refusal names no other project.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .models import Person, RosterEntry

MAINTAINED_ELSEWHERE = (
    "此人信息由其在场项目维护，本项目不能修改；本次填写的信息未保存。可直接选择此人办理进场。"
)
ROSTER_ONLY_FIELDS = ("bank_name", "bank_card_number", "photo")


class PersonChangeRefused(ValidationError):
    """The caller's project may not make this change to `person` (nothing was written)."""

    def __init__(self, person: Person, errors: dict[str, list[str]]):
        self.person = person
        super().__init__(errors)


def changed_fields(person: Person, values: dict, file_fields) -> set[str]:
    """The keys of `values` that would change `person`; a new file always does."""
    return {key for key, value in values.items() if key in file_fields or getattr(person, key) != value}


def check_person_change(person: Person, project, changed: set[str]) -> list[int]:
    """Raise PersonChangeRefused unless `project` may make the `changed` fields' change to the
    stored `person`; returns the ids of the projects where he is on site, whose audit logs must
    show the change."""
    on_site = sorted(
        set(
            RosterEntry.objects.filter(person=person, exit_date__isnull=True).values_list(
                "project_id", flat=True
            )
        )
    )
    if not changed or project is None or project.pk in on_site:
        return on_site
    if on_site or RosterEntry.objects.filter(person=person).exists():
        raise PersonChangeRefused(person, {"__all__": [MAINTAINED_ELSEWHERE]})
    guarded = [key for key in ROSTER_ONLY_FIELDS if key in changed]
    if guarded:
        raise PersonChangeRefused(
            person,
            {
                key: [
                    f"{Person._meta.get_field(key).verbose_name}只能在此人在本项目在场时修改，请先办理进场。"
                ]
                for key in guarded
            },
        )
    return on_site
