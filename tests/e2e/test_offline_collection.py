"""The 采集 page as an offline app (docs/offline-collection.md), in Chromium with the network
switched off and on: records made on the phone arrive exactly once, across a reload, two tabs and
an expired session; a changed resend is refused with the reason shown and can be corrected."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.test_accessibility import axe_violations
from tests.factories import TEST_PASSWORD, TeamFactory, UnitFactory, id_number
from workforce.models import CollectedRecord, Person, RosterEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The workers registered offline in one go: the acceptance check's ten (about 11 s here).
WORKERS = 10
# Two tabs each render every change: fewer records show the same thing quicker.
TAB_WORKERS = 3


def jpeg(color="tan") -> dict:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), color).save(out, "JPEG", quality=95)
    return {"name": "camera.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def open_app(page, project):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"/projects/{project.pk}/collect/")
    # The service worker controls the page (and has kept its assets) before the network goes.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def items(page, name=None):
    found = page.get_by_test_id("queue-item")
    return found.filter(has_text=name) if name else found


def in_state(page, state: str):
    """The 【待上传】 list's records whose state badge reads `state`."""
    return items(page).filter(has=page.locator("[data-role=state]", has_text=state))


def state_of(page, name: str):
    return items(page, name).locator("[data-role=state]")


def register(page, name: str, number: str, phone: str = "13712345678"):
    page.get_by_label("头像").set_input_files(jpeg())
    page.get_by_label("证件号码").fill(number)
    page.get_by_label("姓名").fill(name)
    page.get_by_label("民族").select_option(label="汉族")
    page.get_by_label("住址").fill("广东省台山市北陡镇")
    page.get_by_label("手机号").fill(phone)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(items(page, name)).to_have_count(1)
    expect(page.get_by_label("姓名")).to_have_value("")


def numbers(count):
    return [id_number(birth=date(1980 + i, 3, 4)) for i in range(count)]


def choose_entry(page, team):
    page.get_by_label("保存后同时进场").check()
    page.get_by_label("所属企业").select_option(label=str(team.unit))
    page.get_by_label("所属班组").select_option(label=team.name)  # the unit's teams, looked up
    page.get_by_label("工种").select_option(label="模板工")


def test_workers_registered_offline_survive_a_reload_and_arrive_once(page, project, project_user):
    team = TeamFactory(unit=UnitFactory(project=project), name="隧道班")
    login(page, project_user.username, TEST_PASSWORD)
    open_app(page, project)
    choose_entry(page, team)  # looked up once with a connection
    page.context.set_offline(True)
    page.reload()  # no connection: the page comes from the service worker
    expect(page.get_by_test_id("offline-banner")).to_be_visible()
    choose_entry(page, team)  # the lookup kept from before
    for index, number in enumerate(numbers(WORKERS)):
        register(page, f"离线工人{index}", number)
    expect(in_state(page, "待上传")).to_have_count(WORKERS)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.reload()  # still offline: the records come back from IndexedDB
    expect(in_state(page, "待上传")).to_have_count(WORKERS)
    assert not Person.objects.exists()
    page.context.set_offline(False)
    expect(in_state(page, "已上传")).to_have_count(WORKERS, timeout=20_000)
    expect(items(page, "离线工人0")).to_contain_text("采集成功：离线工人0")
    assert Person.objects.filter(name__startswith="离线工人").count() == WORKERS
    assert CollectedRecord.objects.filter(project=project).count() == WORKERS
    assert RosterEntry.objects.filter(team=team, person__name__startswith="离线工人").count() == WORKERS
    person = Person.objects.get(name="离线工人0")
    assert person.photo and person.source == "collection"
    with person.photo.open("rb") as handle:  # compressed on the phone: at most 1280 px on a side
        assert max(Image.open(handle).size) <= 1280


def test_two_tabs_do_not_send_a_record_twice(page, project, project_user):
    login(page, project_user.username, TEST_PASSWORD)
    open_app(page, project)
    second = page.context.new_page()
    open_app(second, project)
    sent = []
    page.context.on(
        "request",
        lambda r: sent.append(r.url) if r.method == "POST" and "/collect/records/" in r.url else None,
    )
    page.context.set_offline(True)
    for index, number in enumerate(numbers(TAB_WORKERS)):
        register(page, f"双开{index}", number)
    expect(in_state(second, "待上传")).to_have_count(TAB_WORKERS)  # the other tab sees them
    page.context.set_offline(False)  # both tabs hear "online" and try to send
    for tab in (page, second):
        expect(in_state(tab, "已上传")).to_have_count(TAB_WORKERS, timeout=20_000)
    assert len(sent) == TAB_WORKERS
    assert Person.objects.filter(name__startswith="双开").count() == TAB_WORKERS


def test_a_changed_resend_is_refused_with_the_reason_and_corrected_as_a_new_record(
    page, project, project_user
):
    login(page, project_user.username, TEST_PASSWORD)
    open_app(page, project)
    page.context.set_offline(True)
    number, other = numbers(2)
    register(page, "改号工人", number)

    def answer_lost(route):  # the platform saves the record, the phone loses the signal before the answer
        route.fetch()
        page.context.set_offline(True)
        try:
            route.abort()
        except PlaywrightError:
            pass  # going offline already failed the request: its answer is lost all the same

    page.route("**/collect/records/", answer_lost)
    page.context.set_offline(False)
    expect(page.get_by_test_id("offline-banner")).to_be_visible()
    page.unroute("**/collect/records/")
    expect(state_of(page, "改号工人")).to_have_text("待上传")
    assert Person.objects.get(name="改号工人").phone == "13712345678"
    # Still waiting on the phone, the record is changed: it keeps its ID, which the platform holds.
    items(page, "改号工人").get_by_role("button", name="修改").click()
    page.get_by_label("手机号").fill("13900000000")
    page.get_by_role("button", name="保存", exact=True).click()
    page.context.set_offline(False)
    item = items(page, "改号工人")
    expect(state_of(page, "改号工人")).to_have_text("被退回")
    expect(item).to_contain_text("该记录编号已上传过内容不同的记录")
    assert Person.objects.get(name="改号工人").phone == "13712345678"
    register(page, "另一工人", other)  # an 已上传 record beside the 被退回 one
    expect(state_of(page, "另一工人")).to_have_text("已上传")
    assert axe_violations(page) == []
    item.get_by_role("button", name="修改").click()
    expect(page.get_by_label("手机号")).to_have_value("13900000000")
    assert axe_violations(page) == []
    page.get_by_role("button", name="保存", exact=True).click()
    expect(state_of(page, "改号工人")).to_have_text("已上传")
    assert Person.objects.get(name="改号工人").phone == "13900000000"
    assert CollectedRecord.objects.count() == 3
    # An uploaded record keeps only its name and masked number on the phone: no photos, no phone.
    kept = page.evaluate("async () => JSON.stringify((await collectQueue.list()).map(r => r.data))")
    assert "13900000000" not in kept and number not in kept and '"files":{}' in kept


def test_an_expired_session_keeps_the_queue_and_asks_for_a_login(page, project, project_user):
    login(page, project_user.username, TEST_PASSWORD)
    open_app(page, project)
    page.context.set_offline(True)
    register(page, "过期工人", numbers(1)[0])
    page.context.clear_cookies()  # the session ran out while the phone was offline
    page.context.set_offline(False)
    expect(page.get_by_test_id("login-banner")).to_be_visible()
    expect(state_of(page, "过期工人")).to_have_text("待上传")
    assert not Person.objects.exists()
    page.get_by_test_id("login-banner").get_by_role("link", name="重新登录").click()
    page.fill("#id_username", project_user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.fill("input[name='captcha_1']", "PASSED")
    page.get_by_role("button", name="登录").click()
    expect(state_of(page, "过期工人")).to_have_text("已上传", timeout=20_000)
    assert Person.objects.filter(name="过期工人").count() == 1
