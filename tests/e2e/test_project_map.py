"""【项目定位】 in a browser: drag the marker, save, reload, and see the saved position.

Tiles come from a URL on the live server that the test answers itself with a local PNG (page.route),
so the page is exercised with a real tile layer and nothing leaves the machine.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD
from tests.projects.helpers import png_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TILE = png_bytes(size=(256, 256), colour=(220, 230, 210))


def test_drag_the_marker_save_reload_and_see_the_saved_position(page, live_server, settings, project_user):
    project = project_user.project
    project.lat, project.lng = Decimal("22.601520"), Decimal("113.083512")
    project.save()
    settings.MAP_TILE_URL = f"{live_server.url}/test-tiles/{{z}}/{{x}}/{{y}}.png"
    tiles = []

    def serve_tile(route):
        tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=TILE)

    page.route("**/test-tiles/**", serve_tile)
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/card/")
    page.get_by_role("link", name="项目定位").click()
    marker = page.locator(".leaflet-marker-icon")
    expect(marker).to_be_visible()
    expect(page.locator("#id_lat")).to_have_value("22.601520")

    box = marker.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 45, steps=12)
    page.mouse.move(x + 120, y + 90, steps=12)
    page.mouse.up()

    lat, lng = Decimal(page.input_value("#id_lat")), Decimal(page.input_value("#id_lng"))
    assert lat < Decimal("22.601520") and lng > Decimal("113.083512")  # moved south-east
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("项目坐标已保存")).to_be_visible()

    page.reload()
    expect(page.locator("#id_lat")).to_have_value(f"{lat:.6f}")
    expect(page.locator("#id_lng")).to_have_value(f"{lng:.6f}")
    shown = page.evaluate("() => document.getElementById('project-map').projectMarker.getLatLng()")
    assert abs(shown["lat"] - float(lat)) < 1e-6 and abs(shown["lng"] - float(lng)) < 1e-6
    project.refresh_from_db()
    assert (project.lat, project.lng) == (lat, lng)
    assert tiles, "the map asked the configured tile provider for tiles"


def test_without_tiles_or_geocoder_typed_coordinates_still_work(page, settings, project_user):
    settings.MAP_TILE_URL = ""
    settings.GEOCODER_URL = ""
    project = project_user.project
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/card/location/")
    expect(page.get_by_test_id("geocoder-missing")).to_contain_text("未配置在线地址搜索服务")
    expect(page.get_by_test_id("tiles-missing")).to_be_visible()
    page.fill("#id_lat", "22.2516301")
    page.fill("#id_lng", "112.7941504")
    page.locator("#id_lng").dispatch_event("change")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("项目坐标已保存")).to_be_visible()
    expect(page.locator("#id_lat")).to_have_value("22.251630")
    project.refresh_from_db()
    assert project.lng == Decimal("112.794150")


def test_without_a_geocoder_the_address_search_finds_jiangmen_places_offline(page, settings, project_user):
    settings.MAP_TILE_URL = ""
    settings.GEOCODER_URL = ""
    project = project_user.project
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/card/location/")
    expect(page.get_by_test_id("geocoder-missing")).to_contain_text("拖动标记到工地的准确位置")
    page.get_by_label("地址搜索").fill("江门市鹤山市沙坪街道人民路")
    page.get_by_role("button", name="搜索").click()
    results = page.locator("#geocode-results")
    expect(results).to_contain_text("平台内置江门地名录的大致位置")
    results.get_by_role("button").first.click()
    expect(page.locator("#id_lat")).to_have_value("22.765000")
    expect(page.locator("#id_lng")).to_have_value("112.960000")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("项目坐标已保存")).to_be_visible()
    project.refresh_from_db()
    assert (project.lat, project.lng) == (Decimal("22.765000"), Decimal("112.960000"))

    page.get_by_label("地址搜索").fill("北京市朝阳区")
    page.get_by_label("地址搜索").press("Enter")
    expect(results).to_contain_text("内置地名录中没有找到该地址")
