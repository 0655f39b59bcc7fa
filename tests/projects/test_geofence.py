"""电子围栏 geometry and its saving on 项目定位 (docs/geofence.md)."""

from __future__ import annotations

import json
import math

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jmzhgd.core.models import AuditLog
from projects.geofence import (
    MAX_VERTICES,
    clean_fences,
    distance_outside_m,
    distance_to_site_m,
    haversine_m,
    is_within,
)

CENTRE = (22.58, 113.08)
METRES_PER_DEGREE_LAT = math.pi * 6_371_008.8 / 180


def north_of(point, metres):
    return (point[0] + metres / METRES_PER_DEGREE_LAT, point[1])


def square(half_side_m=100):
    d_lat = half_side_m / METRES_PER_DEGREE_LAT
    d_lng = d_lat / math.cos(math.radians(CENTRE[0]))
    lat, lng = CENTRE
    return {
        "type": "polygon",
        "name": "一段",
        "points": [
            [lat - d_lat, lng - d_lng],
            [lat - d_lat, lng + d_lng],
            [lat + d_lat, lng + d_lng],
            [lat + d_lat, lng - d_lng],
        ],
    }


def test_haversine_of_one_degree_of_latitude_is_about_111_km():
    assert haversine_m(22.0, 113.0, 23.0, 113.0) == pytest.approx(111_195, rel=1e-3)


def test_a_point_inside_a_polygon_is_zero_metres_outside_and_one_beyond_its_edge_is_measured():
    fence = square(100)
    assert distance_outside_m(*CENTRE, fence) == 0
    assert distance_outside_m(*north_of(CENTRE, 400), fence) == pytest.approx(300, abs=1)


def test_a_circle_measures_from_its_rim():
    fence = {"type": "circle", "name": "井口", "center": list(CENTRE), "radius": 200}
    assert distance_outside_m(*north_of(CENTRE, 150), fence) == 0
    assert distance_outside_m(*north_of(CENTRE, 500), fence) == pytest.approx(300, abs=1)


def test_the_nearest_part_of_a_linear_work_counts():
    far = {"type": "circle", "name": "二段", "center": list(north_of(CENTRE, 5000)), "radius": 100}
    assert distance_to_site_m(*north_of(CENTRE, 4850), [square(100), far]) == pytest.approx(50, abs=1)
    assert distance_to_site_m(*CENTRE, []) is None


def test_the_reported_accuracy_is_allowed_for_up_to_the_configured_limit():
    assert is_within(0, 5, 100)
    assert is_within(50, 60, 100)  # 50 m out, but the phone may be 60 m off: on site
    assert not is_within(50, 20, 100)
    assert not is_within(0, 150, 100)  # an accuracy worse than the limit proves nothing
    assert not is_within(None, 5, 100)  # no fence


def test_fences_are_normalised_and_a_closed_ring_is_stored_open():
    ring = square(100)
    ring["points"].append(ring["points"][0])
    cleaned = clean_fences([ring, {"type": "circle", "center": ["22.5", "113.1"], "radius": "150.4"}])
    assert len(cleaned[0]["points"]) == 4
    assert cleaned[1] == {"type": "circle", "name": "围栏2", "center": [22.5, 113.1], "radius": 150}


@pytest.mark.parametrize(
    ("fence", "message"),
    [
        ({"type": "hexagon"}, "类型应为圆形或多边形"),
        ({"type": "circle", "center": [22.5, 113.1], "radius": 5}, "半径应在 10–5000 米之间"),
        ({"type": "circle", "center": [22.5, 113.1], "radius": "1e999"}, "半径"),
        ({"type": "circle", "center": [95, 113.1], "radius": 100}, "不在中国境内"),
        ({"type": "circle", "center": ["NaN", 113.1], "radius": 100}, "应为数字"),
        ({"type": "polygon", "points": [[22.5, 113.1], [22.6, 113.1]]}, "3–100 个顶点"),
        ({"type": "polygon", "points": [[22.5, 113.1]] * (MAX_VERTICES + 1)}, "3–100 个顶点"),
        ({"type": "polygon", "points": [[22.5, 113.1], [22.5, 113.1], [22.6, 113.1]]}, "3 个不同的顶点"),
    ],
)
def test_a_bad_fence_is_refused_in_chinese(fence, message):
    with pytest.raises(ValidationError, match=message):
        clean_fences([fence])


def test_the_project_saves_its_fences_from_the_location_page_audited(project_client, project):
    url = reverse("projects:fences", kwargs={"project_id": project.pk})
    response = project_client.post(url, {"fences": json.dumps([square(100)])})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.site_fences[0]["type"] == "polygon"
    assert AuditLog.objects.filter(action="project.fences", project=project).exists()
    page = project_client.get(reverse("projects:location", kwargs={"project_id": project.pk}))
    assert 'id="site-fences"' in page.content.decode()


def test_bad_fence_data_leaves_the_fences_alone(project_client, project):
    url = reverse("projects:fences", kwargs={"project_id": project.pk})
    response = project_client.post(url, {"fences": "{not json"}, follow=True)
    assert "围栏数据格式不正确" in response.content.decode()
    response = project_client.post(url, {"fences": json.dumps([{"type": "circle"}])}, follow=True)
    assert "圆心应为" in response.content.decode()
    project.refresh_from_db()
    assert project.site_fences == []


def test_a_fence_name_loses_any_nul_character():
    fence = {"type": "circle", "name": "井\x00口", "center": [22.5, 113.1], "radius": 100}
    assert clean_fences([fence])[0]["name"] == "井口"
