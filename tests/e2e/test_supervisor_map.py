"""监管总览 and 月报 in a browser with no network: the districts drawn from the vendored boundaries, a
click on 台山市 narrowing the page, each trend chart drawn with data, and the 月报 printed on A4
with every column on the page."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD
from tests.projects.supervisor_data import build_city

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TAISHAN_TOWN = (22.10, 112.70)  # inside 台山市, away from its borders and from the pins


@pytest.fixture
def offline(page, live_server, settings):
    """No tile server, and a record of any request that would have left the live server."""
    settings.MAP_TILE_URL = ""
    outside = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url))
    yield page
    assert outside == []


def test_districts_drawn_offline_and_a_click_on_taishan_narrows_the_page(offline, supervisor):
    page = offline
    city = build_city()
    login(page, supervisor.username, TEST_PASSWORD)
    page.goto("/dashboard/")
    expect(page.locator("#dashboard-map")).to_have_attribute("data-districts", "7")
    paths = page.locator("#dashboard-map .leaflet-overlay-pane path")
    expect(paths).to_have_count(7)
    page.screenshot(path="/tmp/supmap_dash.png", full_page=True)
    # 台山大桥's unpaid wages make its pin the gravest; 蓬江安置房 has lesser alerts only.
    expect(page.locator("#dashboard-map .project-pin-3")).to_have_count(1)
    expect(page.get_by_title("台山大桥：严重预警")).to_be_visible()
    expect(page.get_by_title("蓬江安置房", exact=False)).not_to_have_class("project-pin-3")
    # Shaded by workers on site: 台山市 (7) darkest, districts without projects lightest.
    fills = page.evaluate(
        """() => { const out = {};
             document.getElementById('dashboard-map').leafletMap.eachLayer(l => {
               if (l.feature) out[l.feature.properties.code] = l.options.fillColor; });
             return out; }"""
    )
    assert (
        fills["440781"] == "#08519c"
        and fills["440705"] == "#eff3ff"
        and fills["440703"]
        not in (
            "#08519c",
            "#eff3ff",
        )
    )
    page.select_option("#map-metric", "alerts")
    expect(page.locator("#map-legend")).to_contain_text("条")

    point = page.evaluate(
        "([lat, lng]) => document.getElementById('dashboard-map').leafletMap.latLngToContainerPoint([lat, lng])",
        list(TAISHAN_TOWN),
    )
    page.locator("#dashboard-map").click(position={"x": point["x"], "y": point["y"]})
    page.wait_for_url(lambda url: "district=440781" in url and "metric=alerts" in url)
    expect(page.get_by_test_id("dashboard-scope")).to_contain_text("台山市")
    table = page.get_by_test_id("attendance-table")
    expect(table).to_contain_text(city.taishan.name)
    expect(table).not_to_contain_text(city.pengjiang.name)
    expect(page.get_by_test_id("on-site")).to_have_text("7")
    expect(page.locator("#map-metric")).to_have_value("alerts")


def test_each_trend_chart_is_drawn_with_data_and_its_table_a_click_away(offline, supervisor):
    page = offline
    build_city()
    login(page, supervisor.username, TEST_PASSWORD)
    page.goto("/dashboard/?district=440781")
    for chart in ("attendance-trend", "wages-trend", "alerts-trend"):
        canvas = page.locator(f"#{chart}-canvas")
        expect(canvas).to_have_attribute("data-points", re.compile(r"^[1-9][0-9]*$"))
        total = page.evaluate(
            "(id) => Chart.getChart(id).data.datasets.reduce((n, d) => n + d.data.reduce((a, b) => a + b, 0), 0)",
            f"{chart}-canvas",
        )
        assert total > 0, chart
        card = page.get_by_test_id(chart)
        expect(card.locator("table")).to_be_hidden()
        card.get_by_text("数据表").click()
        expect(card.locator("table")).to_be_visible()
    expect(page.get_by_test_id("attendance-trend")).to_contain_text("台山市")


def test_the_monthly_report_prints_on_a4_without_cut_columns(offline, supervisor):
    page = offline
    city = build_city()
    login(page, supervisor.username, TEST_PASSWORD)
    page.goto(f"/dashboard/monthly/?month={city.last_month:%Y-%m}")
    expect(page.get_by_test_id("report-districts")).to_contain_text("台山市")
    page.emulate_media(media="print")
    # A4 portrait less the page margins (190 mm wide) at 96 dpi: what the printed table has.
    page.set_viewport_size({"width": 718, "height": 1000})
    for table in ("report-districts", "report-rules"):
        widths = page.get_by_test_id(table).evaluate(
            "t => [t.scrollWidth, t.getBoundingClientRect().right, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[2] and widths[1] <= widths[2], (table, widths)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    assert len(pdf.pages) == 1
    assert round(float(pdf.pages[0].mediabox.width)) == 595  # A4 portrait, in points
    # NFKC: the PDF's text maps some characters to Kangxi radicals (⽉ for 月).
    text = unicodedata.normalize("NFKC", pdf.pages[0].extract_text())
    for heading in ("区县", "出勤率", "欠薪", "工人反映", "合计", "恩平市"):
        assert heading in text, heading


def test_the_project_location_page_draws_the_same_base_map_offline(offline, project_user):
    page = offline
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project_user.project_id}/card/location/")
    expect(page.locator("#project-map")).to_have_attribute("data-districts", "7")
    expect(page.locator("#project-map .leaflet-overlay-pane path")).to_have_count(7)
    expect(page.get_by_test_id("tiles-missing")).to_contain_text("区县边界")
    # A click on a district still places the project there (the boundaries pass clicks to the map).
    before = page.input_value("#id_lat")
    box = page.locator("#project-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7)
    expect(page.locator("#id_lat")).not_to_have_value(before)
