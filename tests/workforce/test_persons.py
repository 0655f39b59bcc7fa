"""upsert_person: one identity per 证件类型 + 证件号码, validated, never erased by blanks, audited."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import IdCardType
from jmzhgd.core.models import AuditLog
from jmzhgd.core.uploads import clean_image
from tests.factories import id_number
from workforce.models import Person
from workforce.services import upsert_person

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试")


def jpeg(size=(40, 50)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (120, 80, 40)).save(out, "JPEG")
    return SimpleUploadedFile("face.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_new_person_gets_gender_and_birth_date_from_the_id_number():
    number = id_number(birth=date(1988, 7, 9), gender="1")
    person, created = upsert_person(ACTOR, {"id_number": number.lower(), "name": " 李 秀英 "}, source="web")
    assert created and person.gender == "1" and person.birth_date == date(1988, 7, 9)
    assert person.name == "李 秀英" and person.id_number == number.upper()
    assert AuditLog.objects.filter(action="person.create", object_id=str(person.pk)).exists()
    assert number not in str(AuditLog.objects.get(action="person.create").after)


def test_the_same_identity_updates_the_person_and_blanks_erase_nothing():
    number = id_number()
    person, _ = upsert_person(
        ACTOR, {"id_number": number, "name": "王强", "phone": "13800138000"}, source="web"
    )
    again, created = upsert_person(
        ACTOR, {"id_number": number, "name": "", "phone": "", "address": "江门市蓬江区"}, source="collection"
    )
    assert not created and again.pk == person.pk
    again.refresh_from_db()
    assert again.name == "王强" and again.phone == "13800138000" and again.address == "江门市蓬江区"
    assert again.source == "web"
    update = AuditLog.objects.get(action="person.update")
    assert update.after == {"address": "江门市蓬江区"}


def test_an_unchanged_resubmission_writes_no_audit_row():
    data = {"id_number": id_number(), "name": "赵六"}
    upsert_person(ACTOR, data, source="web")
    upsert_person(ACTOR, data, source="web")
    assert not AuditLog.objects.filter(action="person.update").exists()


def test_bad_fields_are_all_named_in_chinese():
    with pytest.raises(ValidationError) as error:
        upsert_person(
            ACTOR,
            {
                "id_number": "440703199001011230",
                "name": "张三",
                "phone": "12345",
                "nation": "火星族",
                "id_valid_from": "2020-01-01",
                "id_valid_to": "2019-01-01",
            },
            source="web",
        )
    errors = error.value.message_dict
    assert "校验位" in errors["id_number"][0]
    assert "手机号码" in errors["phone"][0]
    assert "不在代码表中" in errors["nation"][0]
    assert "不能早于" in errors["id_valid_to"][0]
    assert not Person.objects.exists()


def test_a_new_person_needs_a_name():
    with pytest.raises(ValidationError) as error:
        upsert_person(ACTOR, {"id_number": id_number()}, source="web")
    assert error.value.message_dict == {"name": ["请填写姓名。"]}


def test_other_document_types_are_normalised_without_a_check_digit():
    person, _ = upsert_person(
        ACTOR,
        {"id_type": IdCardType.PASSPORT, "id_number": " e1234 5678 ", "name": "陈大文", "gender": "男"},
        source="api",
    )
    assert person.id_number == "E12345678" and person.gender == "0" and person.birth_date is None


def test_code_labels_are_accepted_as_well_as_codes():
    person, _ = upsert_person(
        ACTOR, {"id_number": id_number(), "name": "林", "nation": "汉族", "culture_level": "02"}, source="web"
    )
    assert person.nation == "01" and person.culture_level == "02"


def test_cleaned_images_are_stored_with_the_person():
    person, _ = upsert_person(
        ACTOR, {"id_number": id_number(), "name": "黄", "photo": clean_image(jpeg())}, source="collection"
    )
    person.refresh_from_db()
    assert person.photo.name.startswith("persons/photos/") and person.photo.size > 0


def test_an_unknown_key_is_a_programming_error():
    with pytest.raises(ValueError):
        upsert_person(ACTOR, {"id_number": id_number(), "name": "x", "idcard": "1"}, source="web")
