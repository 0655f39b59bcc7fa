"""Roster actions (SPEC §7), shared by the pages, the API and the Excel import.

- `upsert_person`: create or correct a person of the 人员库, found by 证件类型 + 证件号码.
- `check_entries` / `enter_persons`: the one entry action. Every rule is checked for every request
  first, with a constant number of queries however many requests there are (the Excel import checks
  thousands of rows at once); then all or none are written.
- `exit_roster_entries`: exit and batch exit.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_date

from enterprises.models import ParticipatingUnit, Team
from enterprises.services import check_not_before, check_not_future, check_team_accepts_entry
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import (
    CultureLevel,
    Gender,
    IdCardType,
    MaritalStatus,
    Nation,
    PersonCategory,
    PoliticsType,
)
from jmzhgd.core.forms import check_plausible_date
from jmzhgd.core.models import ManagementPost, WorkType
from jmzhgd.core.pii import id_digest
from jmzhgd.core.signals import records_changed
from jmzhgd.core.validators import (
    normalise_document_number,
    normalise_text,
    parse_id_number,
    validate_mobile,
    validate_name,
    validate_phone,
)

from .models import Person, PersonSource, RosterEntry
from .person_rights import changed_fields, check_person_change

# --- 人员库 ------------------------------------------------------------------------------------

_TEXT_FIELDS = {
    "name": 50,
    "address": 200,
    "issuing_authority": 100,
    "urgent_contact_name": 50,
    "bank_name": 100,
}
_CHOICE_FIELDS = {
    "gender": Gender,
    "nation": Nation,
    "culture_level": CultureLevel,
    "politics_type": PoliticsType,
    "marital_status": MaritalStatus,
}
_DATE_FIELDS = ("birth_date", "id_valid_from", "id_valid_to")
_FILE_FIELDS = ("photo", "id_front_image", "id_back_image")
PERSON_DATA_KEYS = frozenset(
    {"id_type", "id_number", "phone", "urgent_contact_phone", "bank_card_number", "has_major_medical_history"}
    | set(_TEXT_FIELDS)
    | set(_CHOICE_FIELDS)
    | set(_DATE_FIELDS)
    | set(_FILE_FIELDS)
)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_date(value, label: str) -> date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, date):
        return check_plausible_date(value, label)
    parsed = None
    try:
        parsed = parse_date(str(value).strip())
    except ValueError:
        pass
    if parsed is None:
        raise ValidationError(f"{label}应为有效日期，格式 YYYY-MM-DD。")
    return check_plausible_date(parsed, label)


def _clean_person_data(data: dict) -> tuple[str, str, dict]:
    """Validate `data`; returns (id_type, normalised number, the non-blank values to store).

    Raises ValidationError({field: [messages]}) naming every bad field at once.
    """
    unknown = set(data) - PERSON_DATA_KEYS
    if unknown:
        raise ValueError(f"upsert_person: unknown person fields {sorted(unknown)}")
    errors: dict[str, list[str]] = defaultdict(list)
    values: dict = {}

    id_type = str(data.get("id_type") or IdCardType.RESIDENT_ID)
    if id_type not in IdCardType.values:
        errors["id_type"].append(f"证件类型“{id_type}”不在代码表中。")
        id_type = IdCardType.RESIDENT_ID
    number = ""
    try:
        number = normalise_document_number(id_type, data.get("id_number"))
    except ValidationError as exc:
        errors["id_number"].extend(exc.messages)
    if number and id_type == IdCardType.RESIDENT_ID:
        facts = parse_id_number(number)
        values["gender"], values["birth_date"] = facts.gender, facts.birth_date

    for key, max_length in _TEXT_FIELDS.items():
        if not _blank(data.get(key)):
            try:
                # Before the spaces are folded: str.split() would silently drop \x1c–\x1f.
                validate_name(data[key], Person._meta.get_field(key).verbose_name)
            except ValidationError as exc:
                errors[key].extend(exc.messages)
                continue
            text = " ".join(str(data[key]).split())
            if len(text) > max_length:
                errors[key].append(f"{Person._meta.get_field(key).verbose_name}不能超过{max_length}个字。")
            values[key] = text
    for key, choices in _CHOICE_FIELDS.items():
        if key in values or _blank(data.get(key)):
            continue
        code = str(data[key]).strip()
        if code not in choices.values:
            # Accept the label as well as the code ("汉族" as well as "01").
            code = next((c for c, label in choices.choices if label == code), code)
        if code not in choices.values:
            errors[key].append(f"{Person._meta.get_field(key).verbose_name}“{data[key]}”不在代码表中。")
        values[key] = code
    for key in _DATE_FIELDS:
        if key in values or _blank(data.get(key)):
            continue
        try:
            values[key] = _as_date(data[key], Person._meta.get_field(key).verbose_name)
        except ValidationError as exc:
            errors[key].extend(exc.messages)
    valid_from, valid_to = values.get("id_valid_from"), values.get("id_valid_to")
    if isinstance(valid_from, date) and isinstance(valid_to, date) and valid_to < valid_from:
        errors["id_valid_to"].append("证件有效期止不能早于证件有效期起。")

    for key, validator in (("phone", validate_mobile), ("urgent_contact_phone", validate_phone)):
        if not _blank(data.get(key)):
            try:
                values[key] = validator(data[key])
            except ValidationError as exc:
                errors[key].extend(exc.messages)
    if not _blank(data.get("bank_card_number")):
        card = normalise_text(data["bank_card_number"])
        if not card.isdigit() or not 12 <= len(card) <= 30:
            errors["bank_card_number"].append("工资卡号应为12至30位数字。")
        values["bank_card_number"] = card
    if data.get("has_major_medical_history") is not None:
        values["has_major_medical_history"] = bool(data["has_major_medical_history"])
    for key in _FILE_FIELDS:
        if data.get(key):
            values[key] = data[key]
    if errors:
        raise ValidationError(dict(errors))
    return id_type, number, values


@transaction.atomic
def upsert_person(actor: Actor, data: dict, *, source: str, project=None) -> tuple[Person, bool]:
    """Create or update the person with `data["id_type"]` + `data["id_number"]`. Returns (person, created).

    `data` keys are Person field names; image values are files already checked by
    jmzhgd.core.uploads.clean_image. Blank values never erase what is stored. For a 居民身份证 the
    gender and birth date come from the number. `project` (optional) files the audit row under the
    project the person was collected for. A stored person is changed only as
    workforce.person_rights allows (PersonChangeRefused otherwise, before anything is written), and
    the change is audited in every project where he is on site.
    """
    if source not in PersonSource.values:
        raise ValueError(f"upsert_person: unknown source {source!r}")
    id_type, number, values = _clean_person_data(data)
    lookup = Person.objects.select_for_update().filter(id_type=id_type, id_number_digest=id_digest(number))
    person = lookup.first()
    created = person is None
    if created:
        if not values.get("name"):
            raise ValidationError({"name": ["请填写姓名。"]})
        person = Person(id_type=id_type, id_number=number, source=source)
        before, on_site = {}, []
    else:
        on_site = check_person_change(person, project, changed_fields(person, values, _FILE_FIELDS))
        before = audit.snapshot(person)
    for key, value in values.items():
        if key in _FILE_FIELDS:
            getattr(person, key).save(value.name, value, save=False)
        else:
            setattr(person, key, value)
    try:
        return _save_person(
            actor, person, created, before, data, source=source, project=project, on_site=on_site
        )
    except BaseException:
        discard_stored_files(person, data)
        raise


def _save_person(actor, person, created, before, data, *, source, project, on_site=()) -> tuple[Person, bool]:
    if created:
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            # Someone created the same identity a moment ago: update theirs instead.
            discard_stored_files(person, data)
            return upsert_person(actor, data, source=source, project=project)
        audit.record(
            actor,
            "person.create",
            person,
            project=project,
            summary=f"人员入库：{person}",
            after=audit.snapshot(person),
        )
        return person, True
    old, new = audit.changed(before, audit.snapshot(person))
    if new:
        person.save()
        # One row per project that has him on site, so each sees every change to its worker
        # (SPEC §11; DESIGN.md pattern 10), plus the acting project's own.
        projects = list(dict.fromkeys([*([project.pk] if project else []), *on_site])) or [None]
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
    return person, False


def discard_stored_files(person: Person, data: dict) -> None:
    """Delete the files upsert_person stored for `data` on `person` once their row is rolled back.

    Files are written to storage before the transaction commits; without this a failure later in
    the transaction (the audit row, the API's entry in the same call) leaves files no row refers to.
    """
    for key in _FILE_FIELDS:
        field_file = getattr(person, key)
        if data.get(key) and field_file and field_file._committed:
            field_file.storage.delete(field_file.name)


# --- 人员进场 ----------------------------------------------------------------------------------


@dataclass
class EntryRequest:
    """One person to enter: the wizard's step 2, one Excel row, or one API call."""

    person: Person
    unit: ParticipatingUnit
    team: Team
    category: str  # PersonCategory
    work_type: WorkType | None = None
    post: ManagementPost | None = None
    entry_date: date = field(default_factory=timezone.localdate)
    is_team_leader: bool = False


@dataclass
class EntryCheck:
    """Problems per request index: errors refuse the entry, warnings need the user's confirmation."""

    errors: dict[int, list[str]] = field(default_factory=dict)
    warnings: dict[int, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_messages(self) -> list[str]:
        return [m for index in sorted(self.errors) for m in self.errors[index]]

    def warning_messages(self) -> list[str]:
        return [m for index in sorted(self.warnings) for m in self.warnings[index]]


class EntryRefused(ValidationError):
    """Entry refused as a whole; `.check` says which request failed and why."""

    def __init__(self, check: EntryCheck):
        self.check = check
        messages = check.error_messages() or check.warning_messages()
        super().__init__(messages or ["人员进场未通过校验。"])


def _max_age(person: Person) -> int | None:
    if person.gender == Gender.MALE:
        return settings.WORKER_MAX_AGE_MALE
    if person.gender == Gender.FEMALE:
        return settings.WORKER_MAX_AGE_FEMALE
    return None


def check_entries(project, requests: list[EntryRequest], *, today: date | None = None) -> EntryCheck:
    """Every entry rule for every request, with a constant number of queries.

    Errors: unit/team not of this project or not matching; the order rules of
    enterprises.services.check_team_accepts_entry; 工种 / 岗位 missing or a 岗位 not offered for the
    unit's type; already on site in this project; re-entry before the last exit; the same person
    twice in the list; under settings.WORKER_MIN_AGE. Warnings: an expired ID, above the age limit.
    """
    today = today or timezone.localdate()
    check = EntryCheck()

    def problem(kind: dict, index: int, person: Person, message: str) -> None:
        kind.setdefault(index, []).append(f"{person}：{message}")

    # Everything the rules need, in bulk: teams with their unit and enterprise, open and past stays.
    teams = Team.objects.filter(project=project, pk__in={r.team.pk for r in requests if r.team})
    teams = {t.pk: t for t in teams.select_related("unit__enterprise")}
    person_ids = {r.person.pk for r in requests if r.person and r.person.pk}
    stays = RosterEntry.objects.filter(project=project, person_id__in=person_ids)
    on_site = set(stays.filter(exit_date__isnull=True).values_list("person_id", flat=True))
    last_exit = dict(
        stays.filter(exit_date__isnull=False)
        .values("person_id")
        .annotate(last=Max("exit_date"))
        .values_list("person_id", "last")
    )
    seen: dict[int, int] = {}

    for index, request in enumerate(requests):
        person, errors = request.person, check.errors
        if person is None or person.pk is None:
            check.errors.setdefault(index, []).append("人员不在人员库中，请先采集或录入人员信息。")
            continue
        if person.pk in seen:
            problem(errors, index, person, f"在本次进场名单中重复出现（与第{seen[person.pk] + 1}人重复）。")
            continue
        seen[person.pk] = index
        if person.pk in on_site:
            problem(errors, index, person, "已在本项目在场，不能重复进场。")
        elif person.pk in last_exit and request.entry_date < last_exit[person.pk]:
            problem(
                errors,
                index,
                person,
                f"再次进场日期（{request.entry_date:%Y-%m-%d}）不能早于上次退场日期（{last_exit[person.pk]:%Y-%m-%d}）。",
            )

        team = teams.get(request.team.pk) if request.team else None
        if team is None or request.unit is None or team.unit_id != request.unit.pk:
            problem(errors, index, person, "所属企业或所属班组不属于本项目，或班组不属于该企业。")
            continue
        if request.category not in PersonCategory.values:
            problem(errors, index, person, "人员类别不正确（建筑工人、其他人员或管理人员）。")
            continue
        try:
            check_team_accepts_entry(team, request.entry_date, request.category)
        except ValidationError as exc:
            for message in exc.messages:
                problem(errors, index, person, message)
        if request.category == PersonCategory.MANAGER:
            if request.post is None:
                problem(errors, index, person, "管理人员须选择岗位。")
            elif not request.post.applies_to(team.unit.corp_type):
                problem(
                    errors,
                    index,
                    person,
                    f"岗位“{request.post.name}”不适用于{team.unit.get_corp_type_display()}单位"
                    f"（适用：{request.post.corp_type_labels}）。",
                )
        elif request.work_type is None:
            problem(errors, index, person, f"{PersonCategory(request.category).label}须选择工种。")

        age = person.age_on(request.entry_date)
        if age is not None and age < settings.WORKER_MIN_AGE:
            problem(
                errors, index, person, f"进场时年龄{age}岁，未满{settings.WORKER_MIN_AGE}周岁，不能进场。"
            )
        limit = _max_age(person)
        if age is not None and limit is not None and age > limit:
            problem(
                check.warnings,
                index,
                person,
                f"进场时年龄{age}岁，超过{person.get_gender_display()}性{limit}岁的年龄上限，请确认。",
            )
        if person.id_valid_to is not None and person.id_valid_to < request.entry_date:
            problem(check.warnings, index, person, f"证件已于{person.id_valid_to:%Y-%m-%d}过期，请确认。")
    return check


def enter_persons(
    actor: Actor, project, requests: list[EntryRequest], *, confirm_warnings: bool = False
) -> list[RosterEntry]:
    """Enter every request into `project`'s roster, or none of them.

    Raises EntryRefused when any request has an error, or has a warning and `confirm_warnings` is
    not set. The partial unique index one_open_stay_per_project is the last word when two requests
    race: the loser's whole step is refused.
    """
    if not requests:
        raise EntryRefused(EntryCheck(errors={0: ["请至少选择一名人员。"]}))
    with transaction.atomic():
        # Lock the persons so a concurrent entry of the same person waits for this one.
        list(Person.objects.select_for_update().filter(pk__in=[r.person.pk for r in requests]).values("pk"))
        check = check_entries(project, requests)
        if not check.ok or (check.warnings and not confirm_warnings):
            raise EntryRefused(check)
        entries = [
            RosterEntry(
                project=project,
                person=r.person,
                unit=r.unit,
                team=r.team,
                category=r.category,
                work_type=None if r.category == PersonCategory.MANAGER else r.work_type,
                post=r.post if r.category == PersonCategory.MANAGER else None,
                is_team_leader=r.is_team_leader,
                entry_date=r.entry_date,
            )
            for r in requests
        ]
        try:
            with transaction.atomic():
                created = RosterEntry.objects.bulk_create(entries, batch_size=500)
        except IntegrityError:
            raise EntryRefused(EntryCheck(errors={0: ["有人员刚刚被他人办理进场，请刷新后重试。"]})) from None
        audit.record_many(
            [
                audit.build(
                    actor,
                    "roster.enter",
                    entry,
                    project=project,
                    summary=f"人员进场：{request.person}，{request.team.name}，{entry.role_label}",
                    after={
                        "person": str(request.person),
                        "unit": str(request.unit),
                        "team": request.team.name,
                        "category": entry.get_category_display(),
                        "work_type_or_post": entry.role_label,
                        "is_team_leader": entry.is_team_leader,
                        "entry_date": entry.entry_date,
                    },
                )
                for entry, request in zip(created, requests, strict=True)
            ]
        )
        records_changed.send(RosterEntry, project_ids=[project.pk])  # bulk_create sends no post_save
        return created


# --- 人员退场 ----------------------------------------------------------------------------------


@transaction.atomic
def exit_roster_entries(actor: Actor, entries, exit_date: date, *, reason: str = "") -> int:
    """Exit every on-site entry of `entries` on `exit_date` (all or none). Returns how many exited.

    Exit dates are never in the future and never before the entry date; the first entry that breaks
    a rule stops the whole step with a message naming the person.
    """
    check_not_future(exit_date, "退场日期")
    on_site = list(
        entries.filter(exit_date__isnull=True)
        .select_related("person", "project")
        .select_for_update(of=("self",))
    )
    for entry in on_site:
        try:
            check_not_before(exit_date, entry.entry_date, "退场日期", "进场日期")
        except ValidationError as exc:
            raise ValidationError(f"{entry.person}：{exc.messages[0]}") from None
    # One UPDATE and one audit INSERT however many exit (a unit's exit can take hundreds along).
    RosterEntry.objects.filter(pk__in=[e.pk for e in on_site]).update(
        exit_date=exit_date, updated_at=timezone.now()
    )
    rows = []
    for entry in on_site:
        entry.exit_date = exit_date
        rows.append(
            audit.build(
                actor,
                "roster.exit",
                entry,
                project=entry.project,
                summary=f"人员退场：{entry.person}" + (f"（{reason}）" if reason else ""),
                before={"exit_date": None},
                after={"exit_date": exit_date},
            )
        )
    audit.record_many(rows)
    records_changed.send(RosterEntry, project_ids={e.project_id for e in on_site})  # update() sends no post_save
    return len(on_site)
