"""No English words on what users see: the maps' attribution, 接口文档's Swagger UI, the 404 page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_maps_attribution_has_no_leaflet_prefix(page, settings, supervisor, project_user):
    settings.MAP_TILE_URL = ""
    project = project_user.project
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/card/location/")
    expect(page.locator(".leaflet-container")).to_be_visible()
    assert "Leaflet" not in page.locator(".leaflet-container").inner_text()

    page.context.clear_cookies()
    login(page, supervisor.username, TEST_PASSWORD)
    page.goto("/dashboard/")
    expect(page.locator(".leaflet-container")).to_be_visible()
    assert "Leaflet" not in page.locator(".leaflet-container").inner_text()


def test_the_api_documentation_buttons_and_sections_read_in_chinese(page):
    page.goto("/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.get_by_role("button", name="认证")).to_be_visible()
    page.locator(".opblock-summary").first.click()
    expect(page.get_by_role("button", name="试一试")).to_be_visible()
    text = page.locator("#swagger-ui").inner_text()
    assert not [word for word in ("Authorize", "Schemas", "Try it out", "Parameters") if word in text]


def test_a_mistyped_address_shows_the_platforms_404_page_even_in_debug_mode(page, settings):
    settings.DEBUG = True
    response = page.goto("/projects/no-such-page/")
    assert response.status == 404
    assert page.title().startswith("页面不存在")
    assert "URLconf" not in page.content()
