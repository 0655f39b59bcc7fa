"""采集 page and the 人员库 form: uploads are checked images only; the same validation as everywhere."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from jmzhgd.core.codes import IdCardType
from jmzhgd.core.models import WorkType
from tests.factories import TeamFactory, UnitFactory, id_number
from workforce.forms import CollectionForm
from workforce.models import Person, RosterEntry

pytestmark = pytest.mark.django_db


def jpeg_with_exif() -> SimpleUploadedFile:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (60, 80), (200, 150, 120)).save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("face.jpg", out.getvalue(), content_type="image/jpeg")


def png_bomb() -> SimpleUploadedFile:
    """A tiny PNG whose header claims 60000×60000 pixels: decoding it would need gigabytes."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("bomb.png", data, content_type="image/png")


def collect_url(project):
    return reverse("workforce:collect", kwargs={"project_id": project.pk})


def base_data(**extra):
    return {
        "id_type": IdCardType.RESIDENT_ID,
        "id_number": id_number(birth=date(1991, 2, 3)),
        "name": "梁志强",
        "nation": "01",  # 汉族
        "address": "广东省江门市蓬江区白沙街道",
        "phone": "13812345678",
        **extra,
    }


def test_collection_asks_for_what_the_province_requires_of_a_worker(project_client, project):
    data = base_data(nation="", address="", phone="")
    html = project_client.post(collect_url(project), data).content.decode()
    for label in ("民族", "住址", "手机号"):
        assert f"请填写{label}（上报省平台必填）。" in html
    assert not Person.objects.exists()


def test_every_person_field_the_province_requires_is_required_on_the_collection_page():
    """The province's ProjectWorker fields that come from the person (exchange's mapping) are the
    ones 采集 refuses to leave blank; 工种 and 工人类型 come with the entry, whose rules require them."""
    from exchange.mapping.workers import WorkerMapper

    person_fields = {"workerName": "name", "nation": "nation", "address": "address", "cellPhone": "phone"}
    form = CollectionForm()
    for key in WorkerMapper.required:
        if key in person_fields:
            assert form.fields[person_fields[key]].required, key
    assert form.fields["id_type"].required and form.fields["id_number"].required
    # headImage: the face photo, asked for by a warning when a collection saves a person without one.
    assert set(WorkerMapper.required) - set(person_fields) == {
        "idCardType",
        "idCardNumber",
        "workType",
        "workRole",
        "headImage",
    }


def test_a_collection_without_a_face_photo_asks_for_one(project_client, project):
    response = project_client.post(collect_url(project), base_data(), follow=True)
    page = response.content.decode()
    assert Person.objects.count() == 1 and "缺少人员照片" in page and "请补拍人员照片" in page


def test_an_upload_that_is_not_an_image_is_refused(project_client, project):
    fake = SimpleUploadedFile("face.jpg", b"<?php echo 'hi'; ?>", content_type="image/jpeg")
    response = project_client.post(collect_url(project), base_data(photo=fake))
    assert response.status_code == 200 and "头像不是有效的 JPG 或 PNG 图片" in response.content.decode()
    assert not Person.objects.exists()


def test_a_decompression_bomb_is_refused(project_client, project):
    response = project_client.post(collect_url(project), base_data(id_front_image=png_bomb()))
    assert response.status_code == 200 and "身份证正面照像素过大" in response.content.decode()
    assert not Person.objects.exists()


def test_collection_saves_reencoded_images_without_exif(project_client, project):
    data = base_data(photo=jpeg_with_exif(), id_front_image=jpeg_with_exif(), id_back_image=jpeg_with_exif())
    response = project_client.post(collect_url(project), data)
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.source == "collection" and person.birth_date == date(1991, 2, 3)
    for field in (person.photo, person.id_front_image, person.id_back_image):
        with field.open("rb") as handle:
            image = Image.open(handle)
            assert not image.getexif()


def test_collection_can_enter_the_roster_through_the_same_rules(project_client, project):
    team = TeamFactory(unit=UnitFactory(project=project))
    entry = {
        "enter": "1",
        "entry-category": "worker",
        "entry-unit": team.unit_id,
        "entry-team": team.pk,
        "entry-work_type": WorkType.objects.first().pk,
        "entry-entry_date": "2026-03-10",
    }
    assert project_client.post(collect_url(project), {**base_data(), **entry}).status_code == 302
    assert RosterEntry.objects.get().person == Person.objects.get()


def test_collection_keeps_the_person_when_the_entry_is_refused(project_client, project):
    team = TeamFactory(unit=UnitFactory(project=project))
    entry = {
        "enter": "1",
        "entry-category": "worker",
        "entry-unit": team.unit_id,
        "entry-team": team.pk,
        "entry-entry_date": "2026-03-10",
    }
    response = project_client.post(collect_url(project), {**base_data(), **entry})
    assert response.status_code == 200 and "须选择工种" in response.content.decode()
    assert Person.objects.count() == 1 and not RosterEntry.objects.exists()


def test_person_form_names_each_bad_field(project_client, project):
    url = reverse("workforce:person_create", kwargs={"project_id": project.pk})
    response = project_client.post(
        url, {"id_type": "01", "id_number": "44070319900101123", "name": "张三", "phone": "123"}
    )
    page = response.content.decode()
    assert "身份证号码应为18位，当前为17位" in page and "手机号码应为以1开头的11位数字" in page


def test_person_form_adds_a_person_and_selects_them_for_entry(project_client, project):
    url = reverse("workforce:person_create", kwargs={"project_id": project.pk})
    response = project_client.post(url, base_data(phone="13912345678"))
    assert response.status_code == 302 and response["Location"].endswith("/roster/enter/")
    person = Person.objects.get()
    assert person.pk in project_client.session[f"entry_selection_{project.pk}"]


def test_person_edit_corrects_fields_but_not_the_identity(project_client, project):
    from tests.factories import RosterEntryFactory

    entry = RosterEntryFactory(team__unit__project=project)
    person = entry.person
    url = reverse("workforce:person_edit", kwargs={"project_id": project.pk, "person_id": person.pk})
    page = project_client.get(url).content.decode()
    assert person.id_number not in page
    response = project_client.post(url, {"name": person.name, "address": "江门市江海区", "id_number": "X"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.address == "江门市江海区" and Person.objects.count() == 1
