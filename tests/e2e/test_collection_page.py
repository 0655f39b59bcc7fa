"""Browser test of the 采集 page on a phone-sized screen (375 px wide) with photos uploaded."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD, TeamFactory, UnitFactory, id_number
from workforce.models import Person, RosterEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def jpeg(color) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (320, 400), color).save(out, "JPEG")
    return {"name": "camera.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def test_collection_on_a_phone_saves_the_person_with_photos_and_enters_the_roster(
    page, project, project_user
):
    team = TeamFactory(unit=UnitFactory(project=project), name="模板班")
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/collect/")
    form = page.get_by_test_id("collect-form")
    expect(form).to_be_visible()
    # The page fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.get_by_label("头像").get_attribute("capture") == "user"
    assert page.get_by_label("身份证正面照").get_attribute("capture") == "environment"
    assert page.get_by_label("身份证反面照").get_attribute("accept") == "image/jpeg,image/png"

    number = id_number(birth=date(1992, 8, 8))
    page.get_by_label("身份证正面照").set_input_files(jpeg("white"))
    page.get_by_label("身份证反面照").set_input_files(jpeg("silver"))
    page.get_by_label("头像").set_input_files(jpeg("tan"))
    page.get_by_label("证件号码").fill(number)
    page.get_by_label("姓名").fill("采集测试")
    # What the province requires is asked for here: the record is sent back with the reason, and
    # opened for correction it shows each reason beside its field (docs/offline-collection.md §5).
    page.get_by_role("button", name="保存", exact=True).click()
    item = page.get_by_test_id("queue-item").filter(has_text="采集测试")
    expect(item.locator("[data-role=state]")).to_have_text("被退回")
    expect(item.locator("[data-role=reason]")).to_contain_text("请填写民族（上报省平台必填）。")
    assert not Person.objects.exists()
    item.get_by_role("button", name="修改").click()
    for label in ("民族", "住址", "手机号"):
        expect(
            page.locator(".invalid-feedback").get_by_text(f"请填写{label}（上报省平台必填）。")
        ).to_be_visible()
    # The photos taken are kept with the record: nothing to retake.
    page.get_by_label("民族").select_option(label="汉族")
    page.get_by_label("住址").fill("广东省江门市蓬江区白沙街道")
    page.get_by_label("手机号").fill("13712345678")
    expect(page.get_by_label("所属企业")).to_be_hidden()
    page.get_by_label("保存后同时进场").check()
    page.get_by_label("所属企业").select_option(label=str(team.unit))
    page.get_by_label("所属班组").select_option(label="模板班")
    page.get_by_label("工种").select_option(label="模板工")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="保存", exact=True).click()
    expect(item.locator("[data-role=state]")).to_have_text("已上传")
    expect(item.locator("[data-role=reason]")).to_contain_text("采集成功：采集测试")
    expect(item.locator("[data-role=reason]")).to_contain_text("已进场")
    person = Person.objects.get(name="采集测试")
    assert person.source == "collection" and person.birth_date == date(1992, 8, 8)
    assert person.photo and person.id_front_image and person.id_back_image
    entry = RosterEntry.objects.get(person=person)
    assert entry.team == team and entry.work_type.name == "模板工"
