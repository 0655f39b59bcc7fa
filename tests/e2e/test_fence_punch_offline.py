"""移动考勤 offline (docs/geofence.md "Offline"), in Chromium with the network switched off and on: a
考勤员 opens the punch page once online, loses the connection, reloads, finds a worker in the roster
kept on the phone, punches inside the fence and 300 m outside; on reconnecting each punch arrives
exactly once, one counted and one 异常考勤."""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

from attendance.attendants import issue_attendant
from attendance.models import FencePunch, FenceReview, Punch
from jmzhgd.core.actor import Actor
from tests import factories
from tests.e2e.conftest import login
from tests.e2e.test_accessibility import axe_violations
from tests.e2e.test_fence_punch import CENTRE, jpeg
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

METRES_PER_DEGREE = math.pi * 6_371_008.8 / 180


def in_state(page, state: str):
    items = page.get_by_test_id("queue-item")
    return items.filter(has=page.locator("[data-role=state]", has_text=state))


def test_punches_made_offline_arrive_once_when_the_connection_returns(page, live_server, project):
    project.site_fences = [{"type": "circle", "name": "一段", "center": list(CENTRE), "radius": 200}]
    project.save()
    entry = factories.RosterEntryFactory(team__unit__project=project, person__name="陈大文")
    factories.RosterEntryFactory(team__unit__project=project, person__name="李小明")
    attendant, _ = issue_attendant(Actor.system(), project, "一号手机")
    attendant.set_password(TEST_PASSWORD)
    attendant.must_change_password = False
    attendant.save()

    page.set_viewport_size({"width": 375, "height": 740})
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": CENTRE[0], "longitude": CENTRE[1], "accuracy": 10})
    login(page, attendant.username, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="移动考勤")).to_be_visible()
    # Online once: the service worker has kept the page and its assets, the roster is on the phone.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    expect(page.get_by_test_id("roster-status")).to_contain_text("在场名单（2 人）")

    page.context.set_offline(True)
    page.reload()  # no connection: the page comes from the service worker
    expect(page.get_by_test_id("offline-banner")).to_be_visible()
    expect(page.get_by_test_id("position")).to_contain_text("精度约 10 米")

    def punch(direction: str) -> None:
        page.fill("#worker-query", "大文")
        page.get_by_role("button", name="查找").click()
        page.get_by_role("button", name="陈大文").click()  # from the roster kept on the phone
        expect(page.get_by_test_id("worker-chosen")).to_contain_text("陈大文")
        page.locator(f"label[for=direction-{direction}]").click()
        page.set_input_files(
            "#punch-photo", files=[{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
        )
        expect(page.locator("#photo-preview")).to_be_visible()
        page.get_by_role("button", name="打卡", exact=True).click()

    punch("in")
    expect(page.get_by_test_id("punch-result")).to_contain_text("联网后自动上传")
    outside = CENTRE[0] + 500 / METRES_PER_DEGREE  # 300 m beyond the 200 m circle
    page.context.set_geolocation({"latitude": outside, "longitude": CENTRE[1], "accuracy": 10})
    page.get_by_role("button", name="重新定位").click()
    expect(page.get_by_test_id("position")).to_contain_text(f"{outside:.6f}")
    punch("out")
    expect(in_state(page, "待上传")).to_have_count(2)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    page.reload()  # still offline: the punches come back from IndexedDB
    expect(in_state(page, "待上传")).to_have_count(2)
    assert not FencePunch.objects.exists()

    page.context.set_offline(False)
    expect(in_state(page, "已上传")).to_have_count(2, timeout=20_000)
    items = page.get_by_test_id("queue-item")
    expect(items.filter(has_text="进场")).to_contain_text("打卡成功，已计入考勤")
    expect(items.filter(has_text="出场")).to_contain_text("距围栏约 300 米")
    punches = FencePunch.objects.filter(project=project)
    assert punches.count() == 2
    assert sorted(punches.values_list("review", flat=True)) == sorted(
        [FenceReview.COUNTED, FenceReview.PENDING]
    )
    assert punches.get(review=FenceReview.COUNTED).direction == "01"
    assert Punch.objects.filter(person=entry.person).count() == 1
    page.get_by_role("button", name="立即上传").click()  # a retry sends nothing again
    page.wait_for_timeout(500)
    assert FencePunch.objects.filter(project=project).count() == 2
