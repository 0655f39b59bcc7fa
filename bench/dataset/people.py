"""Stage two: persons and the roster."""

from __future__ import annotations

import datetime
import random
import time

from jmzhgd.core import pii
from jmzhgd.core.codes import (
    Gender,
    PersonCategory,
)
from jmzhgd.core.fakes import random_id_number, random_mobile, random_name

from .plan import MANAGERS_PER_UNIT, OTHERS_SHARE, Build, Scale
from .summaries import history_projects


def _phone_columns(phone: str) -> dict:
    """A person's phone as the model stores it (encrypted, digest, last 4): COPY skips pre_save."""
    return {"phone": pii.encrypt(phone), "phone_digest": pii.phone_digest(phone), "phone_last4": phone[-4:]}


def build_people(b: Build) -> None:
    """Persons (the PII trio computed once each) and the roster: stays on site and earlier ones."""
    from workforce.models import Person, PersonSource, RosterEntry

    scale, rng, writer, month_start, projects, project_teams, work_type_ids, post_ids, log = (
        b.scale,
        b.rng,
        b.writer,
        b.month_start,
        b.projects,
        b.project_teams,
        b.work_type_ids,
        b.post_ids,
        b.log,
    )
    step = b.step
    # Persons: unique valid ID numbers; the Fernet token once per person.
    person_base = writer.next_id(Person)
    taken = set(Person.objects.values_list("id_number_digest", flat=True))
    persons = []
    t0 = time.monotonic()
    for i in range(scale.persons):
        while True:
            number = random_id_number(rng)
            digest = pii.id_digest(number)
            if digest not in taken:
                break
        taken.add(digest)
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        persons.append(
            {
                "id": person_base + i,
                "id_type": "01",
                "id_number": pii.encrypt(number),
                "id_number_digest": digest,
                "id_number_masked": pii.mask_id(number),
                "name": random_name(rng),
                "gender": Gender.MALE if int(number[16]) % 2 else Gender.FEMALE,
                "birth_date": birth,
                **id_validity(person_base + i),
                "nation": "01",
                "address": f"广东省江门市{rng.randrange(1, 500)}号",
                **_phone_columns(random_mobile(rng)),
                "source": PersonSource.IMPORT,
            }
        )
    log(f"  person identities (ID numbers, Fernet tokens): {time.monotonic() - t0:.1f} s")
    step("persons", lambda: writer.write(Person, persons))

    # Roster: the first `on_site` persons are on site (the big project takes the first block),
    # the next `exited_share` persons have one finished stay before the month.
    on_site_sizes = _project_sizes(scale, rng)
    b.on_site_sizes = on_site_sizes
    with_history = history_projects(b)
    roster_base = writer.next_id(RosterEntry)
    roster: list[dict] = []
    person_cursor = 0
    for index, (project, size) in enumerate(zip(projects, on_site_sizes, strict=True)):
        # On site since before the first month with attendance (b.history_start, the punch month
        # when the scale keeps no history).
        arrived_by = b.history_start if index < with_history else month_start
        kinds = project_teams[project["id"]]
        managers = min(size, MANAGERS_PER_UNIT * len(kinds["management"]))
        others = int((size - managers) * OTHERS_SHARE) if kinds["other"] else 0
        for k in range(size):
            if k < managers:
                team, unit = kinds["management"][k % len(kinds["management"])]
                category, work_type, post = PersonCategory.MANAGER, None, rng.choice(post_ids)
            elif k < managers + others:
                team, unit = kinds["other"][k % len(kinds["other"])]
                category, work_type, post = PersonCategory.OTHER, rng.choice(work_type_ids), None
            else:
                team, unit = kinds["worker"][k % len(kinds["worker"])]
                category, work_type, post = PersonCategory.WORKER, rng.choice(work_type_ids), None
            roster.append(
                {
                    "id": roster_base + len(roster),
                    "project_id": project["id"],
                    "person_id": persons[person_cursor]["id"],
                    "unit_id": unit,
                    "team_id": team,
                    "category": category,
                    "work_type_id": work_type,
                    "post_id": post,
                    "is_team_leader": k == managers,
                    "entry_date": arrived_by - datetime.timedelta(days=1 + rng.randrange(180)),
                }
            )
            person_cursor += 1
    on_site_entries = list(roster)
    exited = int(scale.persons * scale.exited_share)
    for k in range(min(exited, scale.persons - person_cursor)):
        project = projects[k % len(projects)]
        team, unit = project_teams[project["id"]]["worker"][k % len(project_teams[project["id"]]["worker"])]
        entry = month_start - datetime.timedelta(days=200 + rng.randrange(150))
        roster.append(
            {
                "id": roster_base + len(roster),
                "project_id": project["id"],
                "person_id": persons[person_cursor + k]["id"],
                "unit_id": unit,
                "team_id": team,
                "category": PersonCategory.WORKER,
                "work_type_id": rng.choice(work_type_ids),
                "entry_date": entry,
                "exit_date": entry + datetime.timedelta(days=30 + rng.randrange(120)),
            }
        )
    step("roster entries", lambda: writer.write(RosterEntry, roster))
    b.persons = persons
    b.roster = roster
    b.on_site_entries = on_site_entries


def id_validity(person_id: int) -> dict:
    """The ID card's validity period, a function of the person's id (so a dataset built before this
    was added could be brought level with one UPDATE): issued 2008–2025, valid 10 or 20 years."""
    valid_from = datetime.date(2008, 1, 1) + datetime.timedelta(days=(person_id * 7919) % 6500)
    years = 10 if person_id % 3 == 0 else 20
    try:
        valid_to = valid_from.replace(year=valid_from.year + years)
    except ValueError:  # 29 February, as PostgreSQL's interval arithmetic does
        valid_to = valid_from.replace(year=valid_from.year + years, day=28)
    return {"id_valid_from": valid_from, "id_valid_to": valid_to}


def _project_sizes(scale: Scale, rng: random.Random) -> list[int]:
    """On-site persons per project: the big project first, the rest shared out evenly (±30 %)."""
    rest = scale.on_site - scale.big_project_on_site
    n = scale.projects - 1
    if n <= 0:
        return [scale.on_site]
    weights = [0.7 + 0.6 * rng.random() for _ in range(n)]
    total = sum(weights)
    sizes = [int(rest * w / total) for w in weights]
    for k in range(rest - sum(sizes)):
        sizes[k % n] += 1
    return [scale.big_project_on_site, *sizes]
