"""Saving a change to a person, audited where it is seen: the one step that both an edit
(workforce.services.persons) and an accepted change proposal (workforce.services.proposals) end with."""

from __future__ import annotations

from jmzhgd.core import audit


def record_person_update(actor, person, before, *, project, on_site=(), also=()) -> None:
    """Save `person` if he changed since `before`, audited once per project that has him on site
    (so each sees every change to its worker, docs/requirements.md §11; docs/architecture.md
    pattern 10), plus the acting project's own and `also`."""
    old, new = audit.changed(before, audit.snapshot(person))
    if not new:
        return
    person.save()
    acting = [project.pk] if project else []
    projects = list(dict.fromkeys([*acting, *on_site, *also])) or [None]
    audit.record_many(
        [
            audit.build(
                actor,
                "person.update",
                person,
                project=project_id,
                summary=f"人员信息更新：{person}",
                before=old,
                after=new,
            )
            for project_id in projects
        ]
    )
