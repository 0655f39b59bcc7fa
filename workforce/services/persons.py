"""人员库 actions (docs/requirements.md §7): create or correct a person, found by 证件类型 + 证件号码."""

from __future__ import annotations

import datetime
from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_date

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import CultureLevel, Gender, IdCardType, MaritalStatus, Nation, PoliticsType
from jmzhgd.core.forms import check_plausible_date
from jmzhgd.core.pii import id_digest
from jmzhgd.core.validators import (
    normalise_document_number,
    normalise_text,
    parse_id_number,
    validate_mobile,
    validate_name,
    validate_phone,
)

from ..models import Person, PersonSource
from ..person_rights import changed_fields, check_person_change

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
        # (docs/requirements.md §11; docs/architecture.md pattern 10), plus the acting project's own.
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
