"""人员库 actions (docs/requirements.md §7): create or correct a person, found by 证件类型 + 证件号码."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
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
    parse_id_number,
    validate_mobile,
    validate_name,
    validate_phone,
)

from ..models import Person, PersonChangeProposal, PersonSource
from ..person_rights import changed_fields, decide_change, proposed_message
from .cards import CARD_KEYS, clean_card, set_pay_cards
from .person_update import record_person_update
from .proposals import propose_change

_TEXT_FIELDS = {
    "name": 50,
    "address": 200,
    "issuing_authority": 100,
    "urgent_contact_name": 50,
}
_CHOICE_FIELDS = {
    "gender": Gender,
    "nation": Nation,
    "culture_level": CultureLevel,
    "politics_type": PoliticsType,
    "marital_status": MaritalStatus,
}
_DATE_FIELDS = ("birth_date", "id_valid_from", "id_valid_to")
_NUMBER_FACTS = frozenset({"gender", "birth_date"})  # read from a 居民身份证 number: never a difference
_FILE_FIELDS = ("photo", "id_front_image", "id_back_image")
PERSON_DATA_KEYS = frozenset(
    {"id_type", "id_number", "phone", "urgent_contact_phone", "has_major_medical_history", *CARD_KEYS}
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
    try:
        values.update(clean_card(data))  # the project's own card, not the person's (services.cards)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors[key].extend(messages)
    if data.get("has_major_medical_history") is not None:
        values["has_major_medical_history"] = bool(data["has_major_medical_history"])
    for key in _FILE_FIELDS:
        if data.get(key):
            values[key] = data[key]
    if errors:
        raise ValidationError(dict(errors))
    return id_type, number, values


@dataclass
class PersonSaved:
    """What save_person did: the person, whether he is new, and the proposal (if any) holding the
    differences the project may not apply (workforce.person_rights)."""

    person: Person
    created: bool
    proposal: PersonChangeProposal | None = None
    message: str = ""


@transaction.atomic
def upsert_person(actor: Actor, data: dict, *, source: str, project=None) -> tuple[Person, bool]:
    """save_person, answering (person, created) only."""
    saved = save_person(actor, data, source=source, project=project)
    return saved.person, saved.created


def existing_person(data: dict) -> Person | None:
    """The stored person `data` names (by 证件类型 + 证件号码), if the number is valid and known."""
    id_type = str(data.get("id_type") or IdCardType.RESIDENT_ID)
    try:
        number = normalise_document_number(id_type, data.get("id_number"))
    except ValidationError:
        return None
    return Person.objects.filter(id_type=id_type, id_number_digest=id_digest(number)).first()


@transaction.atomic
def save_person(
    actor: Actor, data: dict, *, source: str, project=None, card_read: bool = False
) -> PersonSaved:
    """Create or update the person with `data["id_type"]` + `data["id_number"]`.

    `data` keys are Person field names (plus the 工资卡's, which go to `project`'s own PayCard);
    image values are files already checked by jmzhgd.core.uploads.clean_image. Blank values never
    erase what is stored. For a 居民身份证 the gender and birth date come from the number. `project`
    (optional) files the audit row under the project the person was collected for. A stored person
    is changed only as workforce.person_rights allows; what `project` may not change is kept as a
    proposal (nothing of it is applied), and the answer's `message` says so. `card_read`: the data
    come from an ID-card reader (person_rights.CARD_READ_FIELDS). Every change is audited in every
    project where he is on site.
    """
    if source not in PersonSource.values:
        raise ValueError(f"upsert_person: unknown source {source!r}")
    id_type, number, values = _clean_person_data(data)
    card = {key: values.pop(key) for key in CARD_KEYS if key in values}
    lookup = Person.objects.select_for_update().filter(id_type=id_type, id_number_digest=id_digest(number))
    person = lookup.first()
    created = person is None
    proposed: dict = {}
    outsider = False
    if created:
        if not values.get("name"):
            raise ValidationError({"name": ["请填写姓名。"]})
        person = Person(id_type=id_type, id_number=number, source=source)
        before, on_site, holding = {}, [], None
    else:
        decision = decide_change(
            person, project, changed_fields(person, values, _FILE_FIELDS), card_read=card_read
        )
        holding, on_site, outsider = decision.holding, decision.holding.on_site, decision.outsider
        # An outsider's submission is proposed as sent, differing or not (less what the ID number
        # itself says): whether a proposal is made never tells him what matches the stored person.
        keys = set(values) - _NUMBER_FACTS if outsider else decision.propose
        proposed = {key: values.pop(key) for key in keys}
        values = {key: value for key, value in values.items() if key in decision.apply}
        before = audit.snapshot(person)
    for key, value in values.items():
        if key in _FILE_FIELDS:
            getattr(person, key).save(value.name, value, save=False)
        else:
            setattr(person, key, value)
    try:
        person, created = _save_person(
            actor, person, created, before, data, source=source, project=project, on_site=on_site
        )
        saved = PersonSaved(person, created)
        if proposed:
            saved.proposal = propose_change(actor, person, project, proposed, source=source, holding=holding)
            saved.message = proposed_message(holding, proposed, outsider=outsider)
        if card:
            set_pay_cards(actor, person, project, card)
    except BaseException:
        discard_stored_files(person, data)
        raise
    return saved


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
    record_person_update(actor, person, before, project=project, on_site=on_site)
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
