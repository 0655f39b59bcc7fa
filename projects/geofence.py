"""电子围栏 geometry (docs/geofence.md): a project's site as circles and polygons, and how far a
reported position lies outside it. Pure Python, no GIS dependency.

A fence is a dict, as stored in `Project.site_fences` and sent by the 【项目定位】 map:
    {"type": "circle", "name": "…", "center": [lat, lng], "radius": metres}
    {"type": "polygon", "name": "…", "points": [[lat, lng], …]}
Coordinates are WGS-84 degrees (what a phone's navigator.geolocation reports). A site is a few
hundred metres to a few kilometres across, so distances to a polygon's edges are measured on a local
flat projection around the position (error far below a phone's accuracy); the distance to a circle's
centre is the haversine great-circle distance.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)
MAX_FENCES = 20  # a linear work (a road, a pipe) is drawn as several parts
MAX_VERTICES = 100
MIN_RADIUS_M, MAX_RADIUS_M = 10, 5000
NAME_MAX = 50
# Every vertex and centre must lie in China (as the project's own position, projects.services.library).
LAT_RANGE, LNG_RANGE = (3.8, 53.6), (73.5, 135.1)
FENCE_TYPES = {"circle": "圆形", "polygon": "多边形"}


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _local_xy(lat0: float, lng0: float, lat: float, lng: float) -> tuple[float, float]:
    """(east, north) metres of (lat, lng) from (lat0, lng0): equirectangular, fine at site scale."""
    x = math.radians(lng - lng0) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
    y = math.radians(lat - lat0) * EARTH_RADIUS_M
    return x, y


def _inside_polygon(lat: float, lng: float, points: list) -> bool:
    """Ray casting (even-odd rule) in degrees: a site never straddles the antimeridian."""
    inside = False
    j = len(points) - 1
    for i in range(len(points)):
        yi, xi = points[i]
        yj, xj = points[j]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _segment_distance(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def distance_outside_m(lat: float, lng: float, fence: dict) -> float:
    """How many metres (lat, lng) lies outside `fence`; 0 inside it or on its edge."""
    if fence["type"] == "circle":
        centre_lat, centre_lng = fence["center"]
        return max(0.0, haversine_m(lat, lng, centre_lat, centre_lng) - fence["radius"])
    points = fence["points"]
    if _inside_polygon(lat, lng, points):
        return 0.0
    xy = [_local_xy(lat, lng, p_lat, p_lng) for p_lat, p_lng in points]
    return min(
        _segment_distance(0.0, 0.0, *xy[i - 1], *xy[i])  # i - 1 wraps to the closing edge
        for i in range(len(xy))
    )


def distance_to_site_m(lat: float, lng: float, fences: list[dict]) -> float | None:
    """Metres outside the nearest fence of the site (0 inside one); None when there is no fence."""
    if not fences:
        return None
    return min(distance_outside_m(lat, lng, fence) for fence in fences)


def is_within(distance_m: float | None, accuracy_m: float, max_accuracy_m: float) -> bool:
    """A position counts as on site when its accuracy circle reaches a fence: the phone says it is
    within `accuracy_m` of the reported point, so a point that far outside may still be on site.
    An accuracy worse than `max_accuracy_m` (GEOFENCE_MAX_ACCURACY_M) proves nothing either way."""
    if distance_m is None or accuracy_m > max_accuracy_m:
        return False
    return distance_m <= accuracy_m


def _coordinate(value, label: str) -> list[float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValidationError(f"{label}应为 [纬度, 经度]。")
    try:
        lat, lng = (Decimal(str(v)).quantize(Decimal("0.000001")) for v in value)
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(f"{label}的经纬度应为数字。") from None
    if not (lat.is_finite() and lng.is_finite()):
        raise ValidationError(f"{label}的经纬度应为数字。")
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]):
        raise ValidationError(
            f"{label}（纬度 {lat}，经度 {lng}）不在中国境内：纬度应在 3.8–53.6 之间，经度应在 73.5–135.1 之间。"
        )
    return [float(lat), float(lng)]


def clean_fence(raw, number: int) -> dict:
    """One fence checked and normalised (6 decimals, whole metres), or ValidationError."""
    label = f"第 {number} 个围栏"
    if not isinstance(raw, dict) or raw.get("type") not in FENCE_TYPES:
        raise ValidationError(f"{label}：类型应为圆形或多边形。")
    # No NUL: PostgreSQL's jsonb refuses \u0000.
    name = str(raw.get("name") or "").replace("\x00", "").strip()[:NAME_MAX] or f"围栏{number}"
    if raw["type"] == "circle":
        centre = _coordinate(raw.get("center"), f"{label}的圆心")
        try:
            radius = int(Decimal(str(raw.get("radius"))).to_integral_value())
        except (InvalidOperation, ValueError, TypeError, OverflowError):
            raise ValidationError(f"{label}：半径应为数字（米）。") from None
        if not MIN_RADIUS_M <= radius <= MAX_RADIUS_M:
            raise ValidationError(f"{label}：半径应在 {MIN_RADIUS_M}–{MAX_RADIUS_M} 米之间。")
        return {"type": "circle", "name": name, "center": centre, "radius": radius}
    points = raw.get("points")
    if not isinstance(points, list) or not 3 <= len(points) <= MAX_VERTICES:
        raise ValidationError(f"{label}：多边形应有 3–{MAX_VERTICES} 个顶点。")
    cleaned = [_coordinate(p, f"{label}的第 {i} 个顶点") for i, p in enumerate(points, 1)]
    if cleaned[0] == cleaned[-1]:
        cleaned.pop()  # a closed ring repeats its first vertex: stored open
    if len({tuple(p) for p in cleaned}) < 3:
        raise ValidationError(f"{label}：多边形至少需要 3 个不同的顶点。")
    return {"type": "polygon", "name": name, "points": cleaned}


def clean_fences(raw) -> list[dict]:
    """A site's fences checked and normalised; an empty list removes the site's fences."""
    if not isinstance(raw, list):
        raise ValidationError("围栏数据格式不正确。")
    if len(raw) > MAX_FENCES:
        raise ValidationError(f"一个项目最多设置 {MAX_FENCES} 个围栏。")
    return [clean_fence(fence, number) for number, fence in enumerate(raw, 1)]
