"""项目库 (docs/requirements.md §4): the card, 【编辑】 with several 施工许可证, 【场所码登记】, 【项目定位】."""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jmzhgd.core.models import AuditLog
from projects.models import ConstructionPermit

from .helpers import png_bytes

pytestmark = pytest.mark.django_db


def url(name, project):
    return reverse(f"projects:{name}", args=[project.pk])


# --- the card --------------------------------------------------------------------------------


def test_the_project_account_sees_its_card_with_the_three_buttons(project_client, project):
    html = project_client.get(url("card", project)).content.decode()
    assert project.code in html
    for label in ("编辑", "场所码登记", "项目定位"):
        assert f"</i> {label}</a>" in html


def test_a_supervisor_sees_the_card_read_only(supervisor_client, project):
    html = supervisor_client.get(url("card", project)).content.decode()
    assert project.code in html
    assert url("edit", project) not in html and url("place_code", project) not in html
    assert "监管方只能查看项目信息" in html


def test_another_projects_account_gets_404_for_the_card(client, other_user, project):
    client.force_login(other_user)
    for name in ("card", "edit", "place_code", "location", "overview", "place_code_image"):
        assert client.get(url(name, project)).status_code == 404, name


# --- 【编辑】 --------------------------------------------------------------------------------


def edit_data(project, **overrides):
    data = {
        "name": project.name,
        "category": project.category,
        "nature": project.nature,
        "district": project.district,
        "address": project.address,
        "builder_name": project.builder_name,
        "builder_code": project.builder_code,
        "contractor_name": project.contractor_name,
        "contractor_code": project.contractor_code,
        "total_investment": "8800",
        "building_area": "32000.5",
        "start_date": "2026-03-01",
        "planned_completion_date": "2028-06-30",
        "completion_date": "",
        "status": "005",
        "contact_name": "李联系",
        "contact_phone": "0750-3123456",
        "description": "更新后的简介",
        "labour_manager_name": "劳资员王",
        "labour_manager_phone": "13712345678",
        "permits-TOTAL_FORMS": "2",
        "permits-INITIAL_FORMS": "0",
        "permits-MIN_NUM_FORMS": "0",
        "permits-MAX_NUM_FORMS": "1000",
        "permits-0-number": "440703202603010101",
        "permits-0-scope_name": "1#楼",
        "permits-0-issued_on": "2026-02-20",
        "permits-1-number": "440703202603010102",
        "permits-1-scope_name": "2#楼",
        "permits-1-issued_on": "",
    }
    data.update(overrides)
    return data


def test_edit_saves_every_field_and_several_permits(project_client, project):
    response = project_client.post(url("edit", project), edit_data(project))
    assert response.status_code == 302 and response["Location"] == url("card", project)
    project.refresh_from_db()
    assert project.status == "005"
    assert project.labour_manager_name == "劳资员王" and project.building_area == Decimal("32000.50")
    assert sorted(project.permits.values_list("number", flat=True)) == [
        "440703202603010101",
        "440703202603010102",
    ]
    log = AuditLog.objects.get(action="project.update", project=project)
    assert log.after["status"] == "005" and log.after["施工许可证"].endswith("0102")


def test_a_permit_can_be_removed(project_client, project):
    permit = ConstructionPermit.objects.create(project=project, number="OLD-1")
    data = edit_data(
        project,
        **{
            "permits-TOTAL_FORMS": "1",
            "permits-INITIAL_FORMS": "1",
            "permits-0-id": str(permit.pk),
            "permits-0-number": "OLD-1",
            "permits-0-DELETE": "on",
        },
    )
    data.pop("permits-1-number"), data.pop("permits-1-scope_name"), data.pop("permits-1-issued_on")
    assert project_client.post(url("edit", project), data).status_code == 302
    assert not project.permits.exists()


def test_edit_refuses_bad_credit_codes_and_duplicate_permits(project_client, project):
    data = edit_data(project, builder_code="91440703MA4UHN8R1X", **{"permits-1-number": "440703202603010101"})
    response = project_client.post(url("edit", project), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确" in html and "施工许可证号重复" in html
    assert not project.permits.exists()


def test_completion_date_before_start_is_refused(project_client, project):
    response = project_client.post(url("edit", project), edit_data(project, completion_date="2025-01-01"))
    assert "竣工日期不能早于开工日期" in response.content.decode()


def test_a_supervisor_cannot_edit_even_with_a_crafted_post(supervisor_client, project):
    assert supervisor_client.get(url("edit", project)).status_code == 403
    response = supervisor_client.post(url("edit", project), edit_data(project, name="监管方改名"))
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.name != "监管方改名"
    assert supervisor_client.post(url("place_code", project), {"place_code": "X"}).status_code == 403
    assert (
        supervisor_client.post(url("location", project), {"lat": "22.6", "lng": "113.1"}).status_code == 403
    )
    project.refresh_from_db()
    assert project.place_code == "" and project.lat is None


# --- 【场所码登记】 ----------------------------------------------------------------------------


def test_place_code_is_registered_with_an_optional_qr_image(project_client, project, client):
    response = project_client.post(
        url("place_code", project),
        {"place_code": "GD-JM-0001-ABCDEF", "image": SimpleUploadedFile("qr.png", png_bytes())},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.place_code == "GD-JM-0001-ABCDEF" and project.place_code_image
    image = project_client.get(url("place_code_image", project))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert AuditLog.objects.filter(action="project.place_code", project=project).exists()
    client.logout()
    assert client.get(url("place_code_image", project)).status_code == 302  # to the login page


def test_place_code_longer_than_64_characters_or_a_bad_image_is_refused(project_client, project):
    html = project_client.post(url("place_code", project), {"place_code": "x" * 65}).content.decode()
    assert "64" in html
    html = project_client.post(
        url("place_code", project),
        {"place_code": "OK", "image": SimpleUploadedFile("qr.png", b"not an image")},
    ).content.decode()
    assert "不是有效的 JPG 或 PNG 图片" in html
    project.refresh_from_db()
    assert project.place_code == ""


def test_place_code_is_trimmed_at_its_ends_and_kept_as_typed_inside(project_client, project):
    project_client.post(url("place_code", project), {"place_code": "  GD-JM-0001\t"})
    project.refresh_from_db()
    assert project.place_code == "GD-JM-0001"


@pytest.mark.parametrize(
    ("typed", "message"),
    [("GD JM 0001", "中间不能有空格"), ("GD-江门-0001", "不能有中文"), ("ＧＤ-0001", "不能有中文、全角字符")],
)
def test_place_code_with_a_space_inside_or_non_ascii_is_refused_with_a_message(
    project_client, project, typed, message
):
    html = project_client.post(url("place_code", project), {"place_code": typed}).content.decode()
    assert message in html
    project.refresh_from_db()
    assert project.place_code == ""


# --- 【项目定位】 ------------------------------------------------------------------------------


def test_location_is_stored_with_six_decimals(project_client, project):
    response = project_client.post(url("location", project), {"lat": "22.60152049", "lng": "113.0835124"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.lat == Decimal("22.601520") and project.lng == Decimal("113.083512")
    log = AuditLog.objects.get(action="project.locate")
    assert log.after == {"lat": "22.601520", "lng": "113.083512"}


def test_a_position_outside_china_is_refused(project_client, project):
    response = project_client.post(url("location", project), {"lat": "51.5", "lng": "-0.12"})
    assert response.status_code == 200 and "不在中国境内" in response.content.decode()
    project.refresh_from_db()
    assert project.lat is None


def test_a_position_outside_jiangmen_is_saved_with_a_warning(project_client, project):
    response = project_client.post(
        url("location", project), {"lat": "39.9042", "lng": "116.4074"}, follow=True
    )
    assert "不在江门市范围内" in response.content.decode()
    project.refresh_from_db()
    assert project.lat == Decimal("39.904200")


def test_the_map_page_works_without_tiles_or_geocoder(project_client, project, settings):
    settings.MAP_TILE_URL = ""
    settings.GEOCODER_URL = ""
    html = project_client.get(url("location", project)).content.decode()
    assert "vendor/leaflet/leaflet.js" in html and 'id="id_lat"' in html
    assert "未配置在线地址搜索服务" in html and "未配置地图底图服务" in html
    assert "请点击地图或拖动标记到工地的准确位置" in html
    answer = project_client.get(reverse("projects:geocode"), {"q": "江门市蓬江区白沙大道28号"}).json()
    assert answer["configured"] is False and answer["source"] == "gazetteer"
    assert answer["results"][0] == {
        "lat": 22.593,
        "lng": 113.073,
        "label": "江门市蓬江区白沙大道（道路，大致位置）",
    }
    assert "拖动标记到工地的准确位置" in answer["message"]
    answer = project_client.get(reverse("projects:geocode"), {"q": "北京市朝阳区"}).json()
    assert answer["results"] == [] and "内置地名录中没有找到该地址" in answer["message"]


def test_the_gazetteer_puts_the_most_specific_place_first_and_keeps_to_the_district_named():
    from projects.gazetteer import search

    labels = [hit["label"] for hit in search("广东省江门市蓬江区白沙")]
    assert labels == ["江门市蓬江区白沙街道（镇街，大致位置）", "江门市蓬江区（区县，大致位置）"]
    assert not any("台山市白沙镇" in label for label in labels)  # another district's 白沙
    assert search("台山 大江镇")[0]["label"] == "江门市台山市大江镇（镇街，大致位置）"
    assert search("开平")[0]["label"].startswith("江门市开平市")
    assert search("   ") == [] and search("江门市") == []


def test_every_place_of_the_gazetteer_lies_in_jiangmen_and_all_seven_districts_are_there():
    from projects.gazetteer import DISTRICTS, GAZETTEER
    from projects.services import JIANGMEN_BOUNDS

    assert {d.name for d in DISTRICTS} == {
        "蓬江区",
        "江海区",
        "新会区",
        "台山市",
        "开平市",
        "鹤山市",
        "恩平市",
    }
    for place in GAZETTEER:
        assert JIANGMEN_BOUNDS["lat"][0] <= Decimal(str(place.lat)) <= JIANGMEN_BOUNDS["lat"][1], place
        assert JIANGMEN_BOUNDS["lng"][0] <= Decimal(str(place.lng)) <= JIANGMEN_BOUNDS["lng"][1], place
        assert place.district in {d.name for d in DISTRICTS}


def test_supervisors_see_the_map_read_only(supervisor_client, project):
    html = supervisor_client.get(url("location", project)).content.decode()
    assert 'data-editable="0"' in html and ">保存</button>" not in html


class FakeGeocoder(BaseHTTPRequestHandler):
    """A stand-in for the geocoding service at the network edge, on the loopback interface."""

    queries: list[str] = []

    def do_GET(self):  # noqa: N802
        FakeGeocoder.queries.append(self.path)
        body = json.dumps(
            [
                {"lat": "22.5787", "lon": "113.0815", "display_name": "江门市蓬江区"},
                {"lat": "48.85", "lon": "2.35", "display_name": "巴黎（境外，应被过滤）"},
            ]
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_geocoder():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGeocoder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeGeocoder.queries = []
    yield f"http://127.0.0.1:{server.server_address[1]}/search?format=json&q={{query}}"
    server.shutdown()
    server.server_close()


def test_the_geocoder_is_asked_server_side_and_answers_in_china_only(project_client, settings, fake_geocoder):
    settings.GEOCODER_URL = fake_geocoder
    answer = project_client.get(reverse("projects:geocode"), {"q": "江门 蓬江"}).json()
    assert answer["configured"] is True
    assert answer["results"] == [{"lat": 22.5787, "lng": 113.0815, "label": "江门市蓬江区"}]
    assert FakeGeocoder.queries == ["/search?format=json&q=%E6%B1%9F%E9%97%A8%20%E8%93%AC%E6%B1%9F"]


def test_an_unreachable_geocoder_gives_a_clear_answer(project_client, settings):
    import socket

    with socket.socket() as probe:  # a loopback port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.GEOCODER_URL = f"http://127.0.0.1:{port}/?q={{query}}"
    response = project_client.get(reverse("projects:geocode"), {"q": "新会区会城"})
    assert response.status_code == 502 and "暂时不可用" in response.json()["message"]
    assert (
        response.json()["results"][0]["label"] == "江门市新会区会城街道（镇街，大致位置）"
    )  # offline, still


def test_tianditu_answers_are_understood():
    from projects.views import _parse_geocoder_answer

    answer = {"location": {"lon": 113.08, "lat": 22.6, "keyWord": "江门市政府"}, "status": "0"}
    assert _parse_geocoder_answer(answer) == [{"lat": 22.6, "lng": 113.08, "label": "江门市政府"}]
