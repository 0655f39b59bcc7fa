"""Offline address search of 【项目定位】 over the places shipped with the platform (gazetteer_data).

An address as a clerk types it ("江门市蓬江区白沙大道28号", "台山 大江镇") is matched against every
place's name and short name (白沙 for 白沙街道, 蓬江 for 蓬江区). The most specific place found comes
first (a road before a town before a district, a longer name before a shorter one); a district named
in the address keeps out places of other districts with the same name (白沙镇 of 台山 when the address
says 蓬江区). No network: this answers when no geocoding service is configured or it is down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer_data import DISTRICT, PLACES, ROAD, TOWN

MAX_RESULTS = 8
_RANK = {ROAD: 3, TOWN: 2, DISTRICT: 1}
_SUFFIXES = ("街道", "镇", "区", "市")
_NOISE = re.compile(r"广东省|广东|江门市|\s+")


@dataclass(frozen=True)
class Place:
    district: str
    name: str
    kind: str
    lat: float
    lng: float

    @property
    def label(self) -> str:
        where = "江门市" + ("" if self.kind == DISTRICT else self.district)
        return f"{where}{self.name}（{self.kind}，大致位置）"

    @property
    def short_name(self) -> str:
        for suffix in _SUFFIXES:
            if self.kind != ROAD and self.name.endswith(suffix) and len(self.name) - len(suffix) >= 2:
                return self.name[: -len(suffix)]
        return self.name


GAZETTEER = tuple(Place(*row) for row in PLACES)
DISTRICTS = tuple(p for p in GAZETTEER if p.kind == DISTRICT)


def _matched_length(place: Place, text: str) -> int:
    """How much of `text` the place's name (or short name) covers; 0 when it does not match."""
    for name in (place.name, place.short_name):
        if name in text or (len(text) >= 2 and text in name):
            return min(len(name), len(text))
    return 0


def search(query: str) -> list[dict]:
    """The places `query` names, most specific first, as {lat, lng, label} like a geocoder's answer."""
    text = _NOISE.sub("", query or "")[:100]
    if not text:
        return []
    named_districts = {d.district for d in DISTRICTS if _matched_length(d, text)}
    found = []
    for place in GAZETTEER:
        length = _matched_length(place, text)
        if not length or (named_districts and place.district not in named_districts):
            continue
        found.append(((_RANK[place.kind], length), place))
    found.sort(key=lambda item: item[0], reverse=True)
    return [{"lat": p.lat, "lng": p.lng, "label": p.label} for _, p in found[:MAX_RESULTS]]
