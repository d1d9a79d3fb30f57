"""Reference data shipped with the package: North Jeolla's municipalities and KSIC divisions."""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources


def _rows(filename: str) -> list[dict]:
    text = resources.files("matcher").joinpath("data", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=None)
def _municipalities() -> tuple[dict, ...]:
    return tuple(
        {**row, "lat": float(row["lat"]), "lon": float(row["lon"]), "demo_weight": float(row["demo_weight"])}
        for row in _rows("jeonbuk_municipalities.csv")
    )


@lru_cache(maxsize=None)
def _industries() -> tuple[dict, ...]:
    return tuple(_rows("ksic_manufacturing_divisions.csv"))


def municipalities() -> list[dict]:
    """The 14 cities and counties: name_en, name_ko, kind, lat, lon, demo_weight."""
    return [dict(row) for row in _municipalities()]


def industries() -> list[dict]:
    """KSIC manufacturing divisions C10-C34: code, name_en, name_ko."""
    return [dict(row) for row in _industries()]
