"""Demo 人员库 and 花名册: a few hundred persons with valid ID numbers and locally drawn photos,
most of them on site in the demo projects' teams (entered through the real entry action)."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from enterprises.models import Team
from jmzhgd.core.codes import CultureLevel, MaritalStatus, PersonCategory, TeamType
from jmzhgd.core.fakes import random_id_number, random_mobile, random_name
from jmzhgd.core.models import ManagementPost, WorkType
from jmzhgd.core.pii import id_digest
from jmzhgd.core.validators import parse_id_number

from .models import PayCard, Person, PersonSource, RosterEntry
from .services import EntryRequest, enter_persons, exit_roster_entries
from .services.face import decide_face_match, face_match_for

WORKERS_PER_TEAM = (14, 22)
MANAGERS_PER_UNIT = 2
# Which 工种 each demo team's name suggests.
TEAM_WORK_TYPES = {
    "钢筋": ["钢筋工"],
    "木工": ["木工", "模板工"],
    "混凝土": ["混凝土工"],
    "砌筑": ["砌筑工"],
    "水电": ["管道工", "建筑电工"],
}
ADDRESSES = [
    "广东省江门市蓬江区白沙街道",
    "广东省江门市新会区会城街道",
    "广东省台山市台城街道",
    "广西壮族自治区南宁市兴宁区",
    "湖南省长沙市芙蓉区",
    "四川省成都市锦江区",
    "贵州省贵阳市南明区",
    "广东省湛江市霞山区",
]
SKIN = [(241, 194, 167), (224, 172, 138), (198, 146, 110), (232, 190, 160)]
BACKGROUNDS = [(70, 120, 190), (230, 230, 235), (200, 40, 40)]


def portrait(rng) -> bytes:
    """A small ID-photo-like JPEG: a plain background, shoulders and a face."""
    image = Image.new("RGB", (96, 120), rng.choice(BACKGROUNDS))
    draw = ImageDraw.Draw(image)
    skin = rng.choice(SKIN)
    draw.ellipse((8, 88, 88, 150), fill=rng.choice([(40, 40, 50), (30, 60, 110), (90, 90, 90)]))
    draw.ellipse((28, 26, 68, 78), fill=skin)
    draw.pieslice((26, 18, 70, 64), 180, 360, fill=(25, 20, 20))
    draw.ellipse((38, 46, 42, 50), fill=(20, 20, 20))
    draw.ellipse((54, 46, 58, 50), fill=(20, 20, 20))
    draw.arc((40, 56, 56, 68), 20, 160, fill=(150, 60, 60), width=2)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _new_persons(demo, count: int, *, ages=(20, 56)) -> list[Person]:
    rng, today = demo.rng, timezone.localdate()
    persons = []
    for _ in range(count):
        age = rng.randint(*ages)
        birth = today - timedelta(days=age * 365 + rng.randrange(0, 360))
        number = random_id_number(rng, birth=birth, gender=rng.choice(["0", "0", "0", "1"]))
        facts = parse_id_number(number)
        valid_from = date(rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28))
        valid_to = None if age >= 46 else valid_from.replace(year=valid_from.year + (20 if age >= 26 else 10))
        if rng.random() < 0.03:
            valid_to = today - timedelta(days=rng.randrange(10, 200))  # a few expired IDs to follow up
        # A random name, as core.uploads gives real photos: the number's digits (its birth day) in
        # a file name would travel wherever the name does (audit rows, downloads).
        name = f"persons/photos/demo_{uuid.uuid4().hex}.jpg"
        photo = default_storage.save(name, ContentFile(portrait(rng)))
        persons.append(
            Person(
                id_number=facts.number,
                name=random_name(rng),
                gender=facts.gender,
                birth_date=facts.birth_date,
                nation="01" if rng.random() < 0.9 else rng.choice(["08", "11", "03"]),
                address=rng.choice(ADDRESSES) + f"{rng.randint(1, 300)}号",
                issuing_authority="公安局",
                id_valid_from=valid_from,
                id_valid_to=valid_to,
                phone=random_mobile(rng),
                culture_level=rng.choice(
                    [CultureLevel.PRIMARY, CultureLevel.JUNIOR, CultureLevel.JUNIOR, CultureLevel.SENIOR]
                ),
                marital_status=rng.choice(
                    [MaritalStatus.MARRIED, MaritalStatus.MARRIED, MaritalStatus.SINGLE]
                ),
                urgent_contact_name=random_name(rng),
                urgent_contact_phone=random_mobile(rng),
                photo=photo,
                source=rng.choice(
                    [PersonSource.COLLECTION, PersonSource.COLLECTION, PersonSource.LEGACY, PersonSource.WEB]
                ),
            )
        )
    known = set(
        Person.objects.filter(id_number_digest__in=[id_digest(p.id_number) for p in persons]).values_list(
            "id_number_digest", flat=True
        )
    )
    fresh = [p for p in persons if id_digest(p.id_number) not in known]
    return Person.objects.bulk_create(fresh)


DEMO_BANKS = [
    ("中国建设银行江门分行", "621700"),
    ("中国农业银行江门分行", "622848"),
    ("中国工商银行江门分行", "622202"),
]


def demo_card(rng) -> dict:
    """A made-up 19-digit 工资卡 of a bank branch in Jiangmen (the first six digits are the bank's)."""
    bank_name, prefix = rng.choice(DEMO_BANKS)
    return {
        "bank_name": bank_name,
        "bank_card_number": prefix + "".join(str(rng.randrange(10)) for _ in range(13)),
    }


def _work_types_for(team: Team, by_name: dict) -> list:
    for key, names in TEAM_WORK_TYPES.items():
        if key in team.name:
            return [by_name[n] for n in names if n in by_name]
    return [by_name.get("杂工") or next(iter(by_name.values()))]


def _entry_day(rng, team: Team, today: date) -> date:
    """A day in the team's first two months on site, never in the future."""
    earliest = max(team.entry_date, date(2026, 3, 5))
    span = max(min((today - earliest).days, 60), 0)
    return min(earliest + timedelta(days=rng.randrange(0, span + 1)), today)


def _face_matches(demo, project, entries) -> None:
    """Two 人证比对 per project (docs/face-match.md): one waiting for the clerk, one he confirmed."""
    for index, entry in enumerate(entries[:2]):
        person = entry.person
        name = f"persons/id_cards/demo_{uuid.uuid4().hex}.jpg"
        person.id_front_image = default_storage.save(name, ContentFile(portrait(demo.rng)))
        person.save(update_fields=["id_front_image"])
        match = face_match_for(demo.actor, project, person)
        if index == 1 and match.needs_clerk:
            decide_face_match(demo.actor, match, same_person=True, reason="演示数据：已核对身份证原件")


def seed(demo) -> None:
    work_types = {w.name: w for w in WorkType.objects.filter(is_active=True)}
    posts = list(ManagementPost.objects.filter(is_active=True))
    today = timezone.localdate()
    for project in demo.shared.get("projects", []):
        if RosterEntry.objects.filter(project=project).exists():
            continue
        teams = list(Team.objects.filter(project=project).on_site().select_related("unit").order_by("id"))
        requests = []
        for team in teams:
            if team.team_type == TeamType.MANAGEMENT:
                offered = [p for p in posts if p.applies_to(team.unit.corp_type)]
                for person, post in zip(
                    _new_persons(demo, MANAGERS_PER_UNIT, ages=(28, 55)),
                    demo.rng.sample(offered, min(len(offered), MANAGERS_PER_UNIT)),
                    strict=False,
                ):
                    requests.append(
                        EntryRequest(
                            person,
                            team.unit,
                            team,
                            PersonCategory.MANAGER,
                            post=post,
                            entry_date=_entry_day(demo.rng, team, today),
                        )
                    )
                continue
            category = PersonCategory.WORKER if team.team_type == TeamType.WORKER else PersonCategory.OTHER
            choices = _work_types_for(team, work_types)
            for index, person in enumerate(_new_persons(demo, demo.rng.randint(*WORKERS_PER_TEAM))):
                requests.append(
                    EntryRequest(
                        person,
                        team.unit,
                        team,
                        category,
                        work_type=demo.rng.choice(choices),
                        entry_date=_entry_day(demo.rng, team, today),
                        is_team_leader=index == 0,
                    )
                )
        if not requests:
            continue
        entries = enter_persons(demo.actor, project, requests, confirm_warnings=True)
        # Each worker's 工资卡 with this project, so a demo wage sheet can be paid (bank file included).
        PayCard.objects.bulk_create(
            [
                PayCard(project=project, person=e.person, **demo_card(demo.rng))
                for e in entries
                if e.category != PersonCategory.MANAGER
            ]
        )
        _face_matches(demo, project, entries)
        # Some have already left: roster history and 离场 rows to look at.
        leaving = [e for e in entries if e.category != PersonCategory.MANAGER and demo.rng.random() < 0.08]
        for entry in leaving:
            exit_day = min(entry.entry_date + timedelta(days=demo.rng.randrange(10, 60)), today)
            exit_roster_entries(
                demo.actor, RosterEntry.objects.filter(pk=entry.pk), exit_day, reason="演示数据"
            )
