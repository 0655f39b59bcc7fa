"""A Jiangmen-sized dataset built with bulk paths (issue 10, item 1).

Full scale: 200 projects, 100,000 persons, 60,000 of them on site, two punches a day for 31 days for
everybody on site (~3.7 million punches), contracts for 80 % of the stays on site, and the daily
summaries of those days. One project is large (2,000 on site, ~124,000 punches a month): the
page, export and grid scenarios run against it, the worst case a project account can produce.

Rows are written without the ORM's per-object work:

- PostgreSQL: psycopg 3 ``COPY … FROM STDIN`` (``cursor.copy``), streamed from generators, so
  memory stays flat; ids are assigned here (from the table's current maximum) so foreign keys can
  be written without reading anything back, and the sequences are reset afterwards.
- SQLite (the smoke test's second engine): ``executemany`` of the same rows.

Both paths write database values, so the PII trio is computed here: the Fernet token
(``pii.encrypt``), the digest (``pii.id_digest``) and the mask (``pii.mask_id``), once per person.
The punches, all matched, carry the person's digest and mask and no copy of the number, as the
platform stores a matched punch (``Punch.id_number``).

Daily summaries: ``attendance.summaries.rebuild_daily_summaries`` itself (on PostgreSQL one
``INSERT … SELECT … GROUP BY`` per project-month).

A finished build writes a marker row into ``bench_meta`` (a table of the benchmark's own, not a
Django model); a later run with the same scale finds it and skips the build.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.management.color import no_style
from django.db import connection as default_connection
from django.db import models
from django.utils import timezone

from jmzhgd.core import pii
from jmzhgd.core.codes import (
    MANAGEMENT_TEAM_NAMES,
    AttendType,
    ConstructionNature,
    ContractPeriodType,
    ContractType,
    CorpType,
    Direction,
    District,
    Gender,
    PersonCategory,
    ProjectCategory,
    ProjectStatus,
    TeamType,
)
from jmzhgd.core.fakes import random_credit_code, random_id_number, random_mobile, random_name

SHANGHAI = ZoneInfo("Asia/Shanghai")
META_TABLE = "bench_meta"
MARKER_KEY = "dataset"

# Units of every project: (参建单位类型, worker teams, team type of those teams).
UNIT_PLAN = [
    (CorpType.GENERAL_CONTRACTOR, 1, TeamType.OTHER),
    (CorpType.SUPERVISION, 0, None),
    (CorpType.BUILDER, 0, None),
    (CorpType.LABOUR_SUB, 4, TeamType.WORKER),
    (CorpType.LABOUR_SUB, 4, TeamType.WORKER),
    (CorpType.PROFESSIONAL_SUB, 2, TeamType.WORKER),
]
WORKER_TEAM_NAMES = ["木工班组", "钢筋班组", "混凝土班组", "砌筑班组", "架子班组", "水电班组", "装饰班组"]
MANAGERS_PER_UNIT = 2
OTHERS_SHARE = 0.05  # of a project's non-managers, in the general contractor's 其他人员班组


@dataclass(frozen=True)
class Scale:
    projects: int = 200
    persons: int = 100_000
    on_site: int = 60_000
    days: int = 31
    big_project_on_site: int = 2_000
    contract_share: float = 0.8
    exited_share: float = 0.2  # of all persons: an earlier, finished stay somewhere (history)
    seed: int = 20261010

    @property
    def key(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


FULL = Scale()
TINY = Scale(projects=3, persons=60, on_site=30, days=3, big_project_on_site=14)


@dataclass
class BuildResult:
    scale: Scale
    month_start: datetime.date
    big_project_id: int
    supervisor_username: str
    project_username: str
    seconds: float
    counts: dict
    steps: dict

    def as_dict(self) -> dict:
        data = asdict(self)
        data["month_start"] = self.month_start.isoformat()
        return data


def punch_month(today: datetime.date | None = None, days: int = 31) -> datetime.date:
    """The first day of the punch period: the latest finished calendar month with at least `days` days
    (at full scale a 31-day month), so the month grid shows a whole month of attendance."""
    day = (today or timezone.localdate()).replace(day=1)
    while True:
        day = (day - datetime.timedelta(days=1)).replace(day=1)
        next_month = (day + datetime.timedelta(days=32)).replace(day=1)
        if (next_month - day).days >= days:
            return day


# --- The bulk writer ------------------------------------------------------------------------


class BulkWriter:
    """Writes rows (dicts of attname → value) to a model's table with COPY or executemany.

    Missing fields get their default, ``now`` for auto timestamps, "" for blank text, None for
    nullable ones. Encrypted fields are written as given: the caller passes the Fernet token.
    """

    def __init__(self, connection=default_connection):
        self.connection = connection
        self.is_postgres = connection.vendor == "postgresql"
        self.now = timezone.now()

    def next_id(self, model) -> int:
        with self.connection.cursor() as cursor:
            table = self.connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            return cursor.fetchone()[0] + 1

    def _fields(self, model, with_id: bool):
        return [f for f in model._meta.concrete_fields if with_id or not f.primary_key]

    def _default(self, field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if field.blank and isinstance(field, (models.CharField, models.TextField, models.FileField)):
            return ""
        raise ValueError(f"{field.model.__name__}.{field.name} needs a value")

    def _preparer(self, field) -> Callable | None:
        """How a Python value becomes a database value; None when the driver takes it as it is
        (psycopg adapts str, int, bool, date, datetime and Decimal itself, which keeps COPY fast)."""
        if isinstance(field, pii.EncryptedTextField):
            return None  # the caller passes the Fernet token
        if self.is_postgres and not isinstance(field, models.JSONField):
            return None
        return lambda value: field.get_db_prep_save(value, self.connection)

    def write(self, model, rows: Iterable[dict], *, with_id: bool = True) -> int:
        fields = self._fields(model, with_id)
        defaults = {f.attname: self._default(f) for f in fields if not f.primary_key and not _required(f)}
        table = self.connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(self.connection.ops.quote_name(f.column) for f in fields)

        plan = [(f.attname, defaults.get(f.attname), self._preparer(f)) for f in fields]

        def prepared() -> Iterator[tuple]:
            for row in rows:
                values = []
                for attname, default, prepare in plan:
                    value = row.get(attname, default)
                    values.append(value if prepare is None else prepare(value))
                yield tuple(values)

        count = 0
        with self.connection.cursor() as cursor:
            if self.is_postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in prepared():
                        copy.write_row(values)
                        count += 1
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
                batch: list[tuple] = []
                for values in prepared():
                    batch.append(values)
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        return count

    def reset_sequences(self, models_: list) -> None:
        statements = self.connection.ops.sequence_reset_sql(no_style(), models_)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _required(field) -> bool:
    return (
        not field.null
        and not field.blank
        and not field.has_default()
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    )


# --- The marker -----------------------------------------------------------------------------


def ensure_meta_table(connection=default_connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key varchar(100) PRIMARY KEY, value text NOT NULL)"
        )


def read_meta(key: str, connection=default_connection) -> str | None:
    ensure_meta_table(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {META_TABLE} WHERE key = %s", [key])
        row = cursor.fetchone()
    return row[0] if row else None


def write_meta(key: str, value: str, connection=default_connection) -> None:
    ensure_meta_table(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {META_TABLE} WHERE key = %s", [key])
        cursor.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)", [key, value])


def existing_build(scale: Scale, connection=default_connection) -> dict | None:
    """The marker of a complete build at this scale, or None."""
    raw = read_meta(MARKER_KEY, connection)
    if not raw:
        return None
    data = json.loads(raw)
    return data if json.dumps(data.get("scale"), sort_keys=True) == scale.key else None


# --- The build ------------------------------------------------------------------------------


def _phone_columns(phone: str) -> dict:
    """A person's phone as the model stores it (encrypted, digest, last 4): COPY skips pre_save."""
    return {"phone": pii.encrypt(phone), "phone_digest": pii.phone_digest(phone), "phone_last4": phone[-4:]}


def build(
    scale: Scale = FULL,
    *,
    today: datetime.date | None = None,
    log: Callable[[str], None] = print,
    connection=default_connection,
) -> BuildResult:
    """Build the dataset into the (migrated) database; the caller decides whether one exists already."""
    from attendance.models import DailySummary, Device, Punch
    from contracts.models import Contract
    from enterprises.models import Enterprise, ParticipatingUnit, Team, UnitStay
    from jmzhgd.accounts.models import Role, User
    from jmzhgd.core.models import ManagementPost, WorkType
    from projects.models import Project
    from workforce.models import Person, PersonSource, RosterEntry

    if scale.on_site > scale.persons or scale.big_project_on_site > scale.on_site:
        raise ValueError("inconsistent scale")
    rng = random.Random(scale.seed)
    writer = BulkWriter(connection)
    month_start = punch_month(today, scale.days)
    days = [month_start + datetime.timedelta(days=i) for i in range(scale.days)]
    steps: dict[str, float] = {}
    started = time.monotonic()

    def step(name: str, func: Callable[[], int]) -> None:
        t0 = time.monotonic()
        count = func()
        steps[name] = round(time.monotonic() - t0, 2)
        log(f"  {name}: {count:,} rows in {steps[name]:.1f} s")

    work_type_ids = list(WorkType.objects.order_by("pk").values_list("pk", flat=True)) or [None]
    post_ids = list(ManagementPost.objects.order_by("pk").values_list("pk", flat=True)) or [None]

    # Enterprises: three per project, each project takes six distinct ones.
    enterprise_base = writer.next_id(Enterprise)
    n_enterprises = max(scale.projects * 3, 6)
    credit_codes: set[str] = set(Enterprise.objects.values_list("credit_code", flat=True))
    enterprises = []
    for i in range(n_enterprises):
        code = random_credit_code(rng)
        while code in credit_codes:
            code = random_credit_code(rng)
        credit_codes.add(code)
        enterprises.append(
            {
                "id": enterprise_base + i,
                "credit_code": code,
                "name": f"江门市{rng.choice('恒信建鸿达华盛广安泰')}{rng.choice('业工程建设实业')}有限公司{i + 1}",
                "district": rng.choice(District.values),
                "contact_name": random_name(rng),
                "contact_phone": random_mobile(rng),
            }
        )
    step("enterprises", lambda: writer.write(Enterprise, enterprises))

    # Projects: 项目编码 = district + year + that district's sequence.
    project_base = writer.next_id(Project)
    codes_taken = set(Project.objects.values_list("code", flat=True))
    sequence: dict[str, int] = {}
    projects = []
    for i in range(scale.projects):
        district = District.values[i % len(District.values)]
        while True:
            sequence[district] = sequence.get(district, 9000) + 1
            code = f"{district}{month_start.year}{sequence[district]:04d}"
            if code not in codes_taken:
                break
        codes_taken.add(code)
        projects.append(
            {
                "id": project_base + i,
                "code": code,
                "name": f"{District(district).label}{rng.choice(['滨江', '北新', '五邑', '侨乡', '银湖', '潭江'])}"
                f"{rng.choice(['花园', '大厦', '产业园', '学校', '医院', '安置房'])}项目{i + 1}期",
                "category": ProjectCategory.BUILDING,
                "nature": ConstructionNature.NEW,
                "district": district,
                "address": f"江门市{District(district).label}{rng.randrange(1, 300)}号",
                "builder_name": enterprises[(3 * i) % n_enterprises]["name"],
                "builder_code": enterprises[(3 * i) % n_enterprises]["credit_code"],
                "contractor_name": enterprises[(3 * i + 1) % n_enterprises]["name"],
                "contractor_code": enterprises[(3 * i + 1) % n_enterprises]["credit_code"],
                "status": ProjectStatus.UNDER_CONSTRUCTION,
                "start_date": month_start - datetime.timedelta(days=400 + rng.randrange(300)),
                "contact_name": random_name(rng),
                "contact_phone": random_mobile(rng),
                "lat": Decimal("22.58") + Decimal(rng.randrange(0, 40000)) / Decimal(100000),
                "lng": Decimal("112.75") + Decimal(rng.randrange(0, 60000)) / Decimal(100000),
            }
        )
    step("projects", lambda: writer.write(Project, projects))
    big_project_id = project_base

    # Units (with their stays) and teams.
    unit_id = writer.next_id(ParticipatingUnit)
    stay_id = writer.next_id(UnitStay)
    team_id = writer.next_id(Team)
    units, stays, teams = [], [], []
    # project id → {"management": [(team_id, unit_id)], "worker": [...], "other": [...]}
    project_teams: dict[int, dict[str, list[tuple[int, int]]]] = {}
    for i, project in enumerate(projects):
        entry = project["start_date"]
        chosen = [enterprises[(3 * i + k) % n_enterprises] for k in range(len(UNIT_PLAN))]
        by_kind: dict[str, list[tuple[int, int]]] = {"management": [], "worker": [], "other": []}
        type_count: dict[str, int] = {}
        for (corp_type, n_teams, team_type), enterprise in zip(UNIT_PLAN, chosen, strict=True):
            units.append(
                {
                    "id": unit_id,
                    "project_id": project["id"],
                    "enterprise_id": enterprise["id"],
                    "corp_type": corp_type,
                    "entry_date": entry,
                    "pm_name": random_name(rng),
                    "pm_phone": random_mobile(rng),
                }
            )
            stays.append({"id": stay_id, "unit_id": unit_id, "entry_date": entry})
            stay_id += 1
            type_count[corp_type] = type_count.get(corp_type, 0) + 1
            suffix = "" if type_count[corp_type] == 1 else str(type_count[corp_type])
            teams.append(
                _team(
                    team_id,
                    project["id"],
                    unit_id,
                    MANAGEMENT_TEAM_NAMES[corp_type] + suffix,
                    TeamType.MANAGEMENT,
                    entry,
                )
            )
            by_kind["management"].append((team_id, unit_id))
            team_id += 1
            for k in range(n_teams):
                name = (
                    f"{WORKER_TEAM_NAMES[(k + i) % len(WORKER_TEAM_NAMES)]}{k + 1}"
                    if team_type == TeamType.WORKER
                    else f"综合班组{k + 1}"
                )
                teams.append(_team(team_id, project["id"], unit_id, name, team_type, entry, rng))
                by_kind["worker" if team_type == TeamType.WORKER else "other"].append((team_id, unit_id))
                team_id += 1
            unit_id += 1
        project_teams[project["id"]] = by_kind
    step("participating units", lambda: writer.write(ParticipatingUnit, units))
    step("unit stays", lambda: writer.write(UnitStay, stays))
    step("teams", lambda: writer.write(Team, teams))

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
    roster_base = writer.next_id(RosterEntry)
    roster: list[dict] = []
    person_cursor = 0
    for project, size in zip(projects, on_site_sizes, strict=True):
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
                    "entry_date": month_start - datetime.timedelta(days=1 + rng.randrange(180)),
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

    # Devices: one 入场 and one 出场 gate per project.
    device_base = writer.next_id(Device)
    devices = []
    for i, project in enumerate(projects):
        for k, direction in enumerate((Direction.IN, Direction.OUT)):
            devices.append(
                {
                    "id": device_base + 2 * i + k,
                    "project_id": project["id"],
                    "serial_number": f"BENCH-{project['code']}-{direction}",
                    "vendor": "基准测试设备",
                    "name": f"{'入口' if direction == Direction.IN else '出口'}闸机",
                    "direction": direction,
                    "location": "大门",
                    "last_seen_at": writer.now,
                }
            )
    step("devices", lambda: writer.write(Device, devices))

    persons_by_id = {p["id"]: p for p in persons}
    device_of = {(d["project_id"], d["direction"]): d for d in devices}

    def punch_rows() -> Iterator[dict]:
        record = 0
        for entry in on_site_entries:
            person = persons_by_id[entry["person_id"]]
            device_in = device_of[(entry["project_id"], Direction.IN)]
            device_out = device_of[(entry["project_id"], Direction.OUT)]
            for day in days:
                start = datetime.datetime(day.year, day.month, day.day, 7, 0, tzinfo=SHANGHAI)
                for direction, device, at in (
                    (Direction.IN, device_in, start + datetime.timedelta(seconds=rng.randrange(5400))),
                    (
                        Direction.OUT,
                        device_out,
                        start + datetime.timedelta(seconds=36000 + rng.randrange(5400)),
                    ),
                ):
                    record += 1
                    yield {
                        "project_id": entry["project_id"],
                        "person_id": person["id"],
                        "roster_entry_id": entry["id"],
                        "id_number": "",  # a matched punch keeps no copy of the number (Punch.id_number)
                        "id_number_digest": person["id_number_digest"],
                        "id_number_masked": person["id_number_masked"],
                        "name_as_sent": person["name"],
                        "punched_at": at,
                        "work_date": day,
                        "direction": direction,
                        "attend_type": AttendType.FACE,
                        "device_id": device["id"],
                        "device_sn": device["serial_number"],
                        "record_id": f"B{record}",
                        "source": "device",
                        "source_label": device["serial_number"],
                        "received_at": at + datetime.timedelta(seconds=2),
                    }

    step("punches", lambda: writer.write(Punch, punch_rows(), with_id=False))

    # Contracts for a share of the stays on site.
    contract_base = writer.next_id(Contract)
    contracts = []
    for entry in on_site_entries:
        if rng.random() < scale.contract_share:
            contracts.append(
                {
                    "id": contract_base + len(contracts),
                    "project_id": entry["project_id"],
                    "roster_entry_id": entry["id"],
                    "person_id": entry["person_id"],
                    "unit_id": entry["unit_id"],
                    "contract_type": ContractType.LABOUR_CONTRACT,
                    "period_type": ContractPeriodType.FIXED,
                    "start_date": entry["entry_date"],
                    "end_date": entry["entry_date"] + datetime.timedelta(days=365),
                }
            )
    step("contracts", lambda: writer.write(Contract, contracts))

    step("daily summaries", lambda: build_summaries([p["id"] for p in projects], connection))
    writer.reset_sequences(
        [
            Enterprise,
            Project,
            ParticipatingUnit,
            UnitStay,
            Team,
            Person,
            RosterEntry,
            Device,
            Punch,
            Contract,
            DailySummary,
        ]
    )

    # The accounts the scenarios use: a city-wide supervisor and the big project's own account.
    supervisor, _ = User.objects.update_or_create(
        username="bench_jgf",
        defaults={
            "role": Role.SUPERVISOR,
            "real_name": "基准测试监管员",
            "districts": [],
            "must_change_password": False,
            "is_active": True,
        },
    )
    project_user, _ = User.objects.update_or_create(
        username=f"xm{projects[0]['code']}",
        defaults={
            "role": Role.PROJECT,
            "real_name": projects[0]["name"],
            "project_id": big_project_id,
            "must_change_password": False,
            "is_active": True,
        },
    )
    for user in (supervisor, project_user):
        user.set_unusable_password()
        user.save(update_fields=["password"])

    counts = {
        "projects": len(projects),
        "enterprises": len(enterprises),
        "units": len(units),
        "teams": len(teams),
        "persons": len(persons),
        "roster_entries": len(roster),
        "on_site": len(on_site_entries),
        "big_project_on_site": on_site_sizes[0],
        "devices": len(devices),
        "punches": len(on_site_entries) * len(days) * 2,
        "contracts": len(contracts),
    }
    result = BuildResult(
        scale=scale,
        month_start=month_start,
        big_project_id=big_project_id,
        supervisor_username=supervisor.username,
        project_username=project_user.username,
        seconds=round(time.monotonic() - started, 1),
        counts=counts,
        steps=steps,
    )
    write_meta(MARKER_KEY, json.dumps(result.as_dict(), ensure_ascii=False), connection)
    return result


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


def _team(team_id, project_id, unit_id, name, team_type, entry, rng=None) -> dict:
    row = {
        "id": team_id,
        "project_id": project_id,
        "unit_id": unit_id,
        "name": name,
        "team_type": team_type,
        "entry_date": entry,
    }
    if rng is not None:
        row.update(leader_name=random_name(rng), leader_phone=random_mobile(rng))
    return row


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


# --- Daily summaries ------------------------------------------------------------------------


def build_summaries(project_ids: list[int], connection=default_connection) -> int:
    """Daily summaries of these projects from their punches: attendance.summaries' own rebuild
    (on PostgreSQL one INSERT … SELECT per project-month)."""
    from attendance.summaries import rebuild_daily_summaries

    written = sum(rebuild_daily_summaries(project=pid) for pid in project_ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return written
