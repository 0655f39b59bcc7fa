"""移动考勤 in a browser (docs/geofence.md): the project draws a fence on 项目定位; a 考勤员 on a 375 px
phone finds a worker, takes a photo and punches inside (counted) and 300 m outside (异常考勤)."""

from __future__ import annotations

import io
import math

import pytest
from PIL import Image
from playwright.sync_api import expect

from attendance.attendants import issue_attendant
from attendance.models import FenceReview
from jmzhgd.core.actor import Actor
from tests import factories
from tests.e2e.conftest import login
from tests.e2e.test_accessibility import axe_violations
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CENTRE = (22.58, 113.08)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 150, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_the_project_draws_a_circle_fence_and_saves_it(page, project_user):
    project = project_user.project
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/card/location/")
    page.get_by_role("button", name="画圆形").click()
    page.fill("#fence-radius", "300")
    page.locator("#project-map").click(position={"x": 200, "y": 200})
    expect(page.locator("#fence-table tbody tr")).to_have_count(1)
    page.get_by_role("button", name="更新电子围栏").click()
    expect(page.get_by_text("电子围栏已保存：共 1 个")).to_be_visible()
    project.refresh_from_db()
    assert project.site_fences[0]["type"] == "circle" and project.site_fences[0]["radius"] == 300
    expect(page.locator("#project-map")).to_have_attribute("data-fences", "1")  # drawn again after the reload


def test_an_attendant_punches_inside_and_outside_the_fence_on_a_phone(page, live_server, project):
    project.site_fences = [{"type": "circle", "name": "一段", "center": list(CENTRE), "radius": 200}]
    project.save()
    entry = factories.RosterEntryFactory(team__unit__project=project, person__name="陈大文")
    attendant, _ = issue_attendant(Actor.system(), project, "一号手机")
    attendant.set_password(TEST_PASSWORD)
    attendant.must_change_password = False
    attendant.save()

    page.set_viewport_size({"width": 375, "height": 740})
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": CENTRE[0], "longitude": CENTRE[1], "accuracy": 10})
    login(page, attendant.username, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="移动考勤")).to_be_visible()  # sent straight to its page
    expect(page.get_by_test_id("position")).to_contain_text("精度约 10 米")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []

    def punch(direction: str) -> None:
        page.fill("#worker-query", "陈大文")
        page.get_by_role("button", name="查找").click()
        page.get_by_role("button", name="陈大文").click()
        expect(page.get_by_test_id("worker-chosen")).to_contain_text("陈大文")
        page.locator(f"label[for=direction-{direction}]").click()
        page.set_input_files(
            "#punch-photo", files=[{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
        )
        expect(page.locator("#photo-preview")).to_be_visible()
        page.get_by_role("button", name="打卡", exact=True).click()

    punch("in")
    expect(page.get_by_test_id("punch-result")).to_contain_text("打卡成功，已计入考勤")

    metres_per_degree = math.pi * 6_371_008.8 / 180
    page.context.set_geolocation(
        {"latitude": CENTRE[0] + 500 / metres_per_degree, "longitude": CENTRE[1], "accuracy": 10}
    )
    page.get_by_role("button", name="重新定位").click()
    expect(page.get_by_test_id("position")).to_contain_text(f"{CENTRE[0] + 500 / metres_per_degree:.6f}")
    punch("out")
    expect(page.get_by_test_id("punch-result")).to_contain_text("距围栏约 300 米")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    reviews = sorted(project.fence_punches.filter(person=entry.person).values_list("review", flat=True))
    assert reviews == sorted([FenceReview.COUNTED, FenceReview.PENDING])
