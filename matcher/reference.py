"""Reference data shipped with the package (read-only CSV files in matcher/data/)."""

import csv
from functools import cache
from importlib import resources
from typing import TypedDict


class Municipality(TypedDict):
    name_en: str
    name_ko: str
    kind: str
    lat: float
    lon: float
    demo_weight: float


class Industry(TypedDict):
    code: str
    name_en: str
    name_ko: str


class IndustrialCity(TypedDict):
    name_en: str
    name_ko: str
    lat: float
    lon: float
    weight: float


def _rows(filename: str) -> list[dict[str, str]]:
    with resources.files("matcher").joinpath("data", filename).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def _municipalities() -> tuple[Municipality, ...]:
    return tuple(
        Municipality(
            name_en=r["name_en"],
            name_ko=r["name_ko"],
            kind=r["kind"],
            lat=float(r["lat"]),
            lon=float(r["lon"]),
            demo_weight=float(r["demo_weight"]),
        )
        for r in _rows("jeonbuk_municipalities.csv")
    )


@cache
def _industries() -> tuple[Industry, ...]:
    return tuple(
        Industry(code=r["code"], name_en=r["name_en"], name_ko=r["name_ko"])
        for r in _rows("ksic_manufacturing_divisions.csv")
    )


@cache
def _industrial_cities() -> tuple[IndustrialCity, ...]:
    return tuple(
        IndustrialCity(
            name_en=r["name_en"],
            name_ko=r["name_ko"],
            lat=float(r["lat"]),
            lon=float(r["lon"]),
            weight=float(r["weight"]),
        )
        for r in _rows("korea_industrial_cities.csv")
    )


def municipalities() -> list[Municipality]:
    """The 14 cities and counties of North Jeolla: name_en, name_ko, kind, lat, lon, demo_weight."""
    return [r.copy() for r in _municipalities()]


def industries() -> list[Industry]:
    """KSIC manufacturing divisions C10..C34: code, name_en, name_ko."""
    return [r.copy() for r in _industries()]


def industrial_cities() -> list[IndustrialCity]:
    """Industrial cities of South Korea (for `generate --scope nation`): name_en, name_ko, lat, lon,
    weight."""
    return [r.copy() for r in _industrial_cities()]
