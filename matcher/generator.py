"""Realistic random instances: KSIC manufacturing divisions with a realistic skew, places around the
14 cities and counties of North Jeolla ('province') or the industrial cities of Korea ('nation').

Deterministic: one seeded numpy Generator, drawn in a fixed order, no dict-order or clock input.
"""

from typing import Any, TypedDict

import numpy as np

from . import geo, reference
from .arrays import FloatArray, Indices


class RawCompany(TypedDict):
    """A company record of the contract's JSON form, as generated."""

    id: str
    lat: float
    lon: float
    industry: str
    priority: int
    municipality: str
    pinned_mentor: str | None


class RawMentor(TypedDict):
    """A mentor record of the contract's JSON form, as generated."""

    id: str
    lat: float
    lon: float
    capacity: int
    industries: dict[str, int]
    exclude: list[str]


# Share of manufacturing firms by KSIC division (roughly North Jeolla's business census):
# fabricated metal, machinery, motor vehicles, electrical, food, plastics, electronics lead.
INDUSTRY_WEIGHTS = {
    "C10": 9,
    "C11": 1,
    "C12": 0.2,
    "C13": 2,
    "C14": 1,
    "C15": 0.5,
    "C16": 1,
    "C17": 1.5,
    "C18": 1.5,
    "C19": 0.3,
    "C20": 4,
    "C21": 1.5,
    "C22": 7,
    "C23": 3,
    "C24": 3,
    "C25": 18,
    "C26": 6,
    "C27": 3,
    "C28": 8,
    "C29": 14,
    "C30": 10,
    "C31": 1.5,
    "C32": 1.5,
    "C33": 2,
    "C34": 1.5,
}
PRIORITY_P = [0.45, 0.25, 0.15, 0.10, 0.05]
CAPACITY_P = {2: 0.08, 3: 0.17, 4: 0.25, 5: 0.22, 6: 0.13, 7: 0.09, 8: 0.06}
N_INDUSTRIES_P = [0.05, 0.15, 0.35, 0.45]  # a mentor covers 1..4 divisions
JITTER_KM = {"province": 5.0, "nation": 8.0}
KM_PER_DEG = 111.2


def _places(scope: str) -> tuple[list[str], FloatArray, FloatArray, FloatArray]:
    rows: list[reference.Municipality] | list[reference.IndustrialCity]
    if scope == "province":
        rows = reference.municipalities()
        weight = [r["demo_weight"] for r in rows]
    elif scope == "nation":
        rows = reference.industrial_cities()
        weight = [r["weight"] for r in rows]
    else:
        raise ValueError(f"scope must be 'province' or 'nation', got {scope!r}")
    w = np.array(weight, dtype=np.float64)
    return (
        [r["name_en"] for r in rows],
        np.array([r["lat"] for r in rows]),
        np.array([r["lon"] for r in rows]),
        w / w.sum(),
    )


def _scatter(
    rng: np.random.Generator, n: int, lat0: FloatArray, lon0: FloatArray, p: FloatArray, jitter_km: float
) -> tuple[Indices, FloatArray, FloatArray]:
    """n points around places drawn with probabilities p, jittered by a few km."""
    place = rng.choice(len(p), size=n, p=p)
    dy, dx = rng.normal(0.0, jitter_km, size=(2, n))
    lat = lat0[place] + dy / KM_PER_DEG
    lon = lon0[place] + dx / (KM_PER_DEG * np.cos(np.radians(lat0[place])))
    return place, np.round(lat, 4), np.round(lon, 4)


def _mentor_industries(rng: np.random.Generator, codes: list[str], weights: FloatArray) -> dict[str, int]:
    """1-4 divisions, drawn with the firms' skew sharpened (mentors are ex-Samsung engineers in
    the big divisions); fit 80-100 in the first, 30-90 in the others."""
    k = int(rng.choice(len(N_INDUSTRIES_P), p=N_INDUSTRIES_P)) + 1
    p = weights**2.0
    chosen = rng.choice(len(codes), size=k, replace=False, p=p / p.sum())
    fits = [int(rng.integers(80, 101))] + [int(rng.integers(30, 91)) for _ in range(k - 1)]
    return {codes[i]: f for i, f in zip(chosen.tolist(), fits, strict=True)}


def generate_instance(companies: int, mentors: int, seed: int, scope: str = "province") -> dict[str, Any]:
    if companies < 0 or mentors < 0:
        raise ValueError("companies and mentors must be >= 0")
    rng = np.random.default_rng(seed)
    names, lat0, lon0, p = _places(scope)
    codes = sorted(INDUSTRY_WEIGHTS)
    weights = np.array([INDUSTRY_WEIGHTS[c] for c in codes])
    cw, mw = max(3, len(str(companies))), max(3, len(str(mentors)))

    place, c_lat, c_lon = _scatter(rng, companies, lat0, lon0, p, JITTER_KM[scope])
    industry = rng.choice(len(codes), size=companies, p=weights / weights.sum())
    priority = rng.choice(5, size=companies, p=PRIORITY_P) + 1
    comp: list[RawCompany] = [
        {
            "id": f"c-{i + 1:0{cw}d}",
            "lat": float(c_lat[i]),
            "lon": float(c_lon[i]),
            "industry": codes[industry[i]],
            "priority": int(priority[i]),
            "municipality": names[place[i]],
            "pinned_mentor": None,
        }
        for i in range(companies)
    ]

    _, m_lat, m_lon = _scatter(rng, mentors, lat0, lon0, p, JITTER_KM[scope])
    caps = rng.choice(list(CAPACITY_P), size=mentors, p=list(CAPACITY_P.values()))
    ment: list[RawMentor] = [
        {
            "id": f"m-{j + 1:0{mw}d}",
            "lat": float(m_lat[j]),
            "lon": float(m_lon[j]),
            "capacity": int(caps[j]),
            "industries": _mentor_industries(rng, codes, weights),
            "exclude": [],
        }
        for j in range(mentors)
    ]
    _add_conflicts(rng, comp, ment)
    _add_pins(rng, comp, ment, c_lat, c_lon, m_lat, m_lon)
    return {"version": 1, "mentors": ment, "companies": comp, "params": {"max_distance_km": 80}}


def _add_conflicts(rng: np.random.Generator, comp: list[RawCompany], ment: list[RawMentor]) -> None:
    """About 3% of mentors exclude one or two companies (former employer, relatives)."""
    if not comp:
        return
    for m in ment:
        if rng.random() < 0.03:
            picks = rng.choice(len(comp), size=min(len(comp), int(rng.integers(1, 3))), replace=False)
            m["exclude"] = sorted(comp[i]["id"] for i in picks.tolist())


def _add_pins(
    rng: np.random.Generator,
    comp: list[RawCompany],
    ment: list[RawMentor],
    c_lat: FloatArray,
    c_lon: FloatArray,
    m_lat: FloatArray,
    m_lon: FloatArray,
) -> None:
    """About 1% of companies are pinned (confirmed visits) to a qualified mentor within 60 km
    that has room; the nearest such mentor, so pins look like real past choices."""
    if not comp or not ment:
        return
    room = [m["capacity"] for m in ment]
    cp, mp, all_m = geo.Points(c_lat, c_lon), geo.Points(m_lat, m_lon), np.arange(len(ment))
    for i in np.flatnonzero(rng.random(len(comp)) < 0.01).tolist():
        c = comp[i]
        d = geo.pairwise_km(cp, i, mp, all_m)
        for j in np.argsort(d, kind="stable").tolist():
            if d[j] > 60:
                break
            m = ment[j]
            if room[j] > 0 and c["industry"] in m["industries"] and c["id"] not in m["exclude"]:
                c["pinned_mentor"] = m["id"]
                room[j] -= 1
                break
