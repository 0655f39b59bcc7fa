"""Build static/vendor/jiangmen-districts/jiangmen-districts.geojson from the geotool-cn package.

The platform draws Jiangmen's seven 区县 under its map pins without a tile server (static/vendor/README.md
"江门市区县边界"). The boundaries come from the PyPI package geotool-cn (WGS-84, keyed by the GB/T 2260
code); this script reads the seven districts out of the package's data file, simplifies each ring
(Douglas-Peucker) and rounds the coordinates, so the file the browser loads stays small.

Run it in a throwaway environment (the platform does not depend on the package at run time):

    python -m venv /tmp/gtc && /tmp/gtc/bin/pip install geotool-cn==3.1.0
    /tmp/gtc/bin/python scripts/build_jiangmen_districts.py
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

# The seven 区县 of jmzhgd.core.codes.District (not imported: the script runs outside the platform).
DISTRICTS = {
    "440703": "蓬江区",
    "440704": "江海区",
    "440705": "新会区",
    "440781": "台山市",
    "440783": "开平市",
    "440784": "鹤山市",
    "440785": "恩平市",
}
TOLERANCE = 0.0015  # degrees (~150 m): invisible at the zooms that show the whole city
DECIMALS = 4  # ~11 m
MIN_ISLAND_AREA = 2e-6  # square degrees (~0.02 km²): rocks off Taishan's coast are dropped
OUTPUT = (
    Path(__file__).resolve().parent.parent / "static/vendor/jiangmen-districts/jiangmen-districts.geojson"
)


def _distance(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker, iterative (rings of a few thousand points would recurse deeply)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_area(ring: list) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))) / 2


def district_feature(data, code: str, name: str) -> dict:
    scale = data.scale
    _bbox, polygons = data.geometry(data.index_of(code, "district"))
    shapes = []
    for rings in polygons:
        out = []
        for xs, ys in rings:
            ring = [(x / scale, y / scale) for x, y in zip(xs, ys, strict=True)]
            if ring[0] != ring[-1]:
                ring.append(ring[0])
            ring = [(round(x, DECIMALS), round(y, DECIMALS)) for x, y in simplify(ring, TOLERANCE)]
            if len(ring) >= 4 and ring_area(ring) >= MIN_ISLAND_AREA:
                out.append([list(p) for p in ring])
        if out:
            shapes.append(out)
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name},
        "geometry": {"type": "MultiPolygon", "coordinates": shapes},
    }


def main() -> int:
    from GeoToolCN import GeoTool  # geotool-cn, see the module docstring

    tool = GeoTool()
    data = tool._data  # the package has no public geometry call; the version is pinned above
    features = [district_feature(data, code, name) for code, name in DISTRICTS.items()]
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
        )
        + "\n",
        encoding="utf-8",
    )
    points = sum(len(r) for f in features for p in f["geometry"]["coordinates"] for r in p)
    print(f"{OUTPUT.name}: {len(features)} districts, {points} points, {OUTPUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
