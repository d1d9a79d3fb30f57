"""Realistic inspection-burst instances: applicant companies around the 14 cities and counties
of North Jeolla, pairs of mentors working 09:00-18:00 from the Jeonbuk technopark in Jeonju or
from a mentor's home, 180-minute visits that may start in the windows the company offers.

A full plan exists by construction: the generator first plants two visits per pair and day
(a pair's two companies of the day lie in one municipality the pair can reach and come back
from in time), gives each company a window on its planted day that holds the planted start, and
then adds windows on a few other days. The ids are shuffled so the plan does not show.
Deterministic: one seeded random.Random, drawn in a fixed order.
"""

import math
import random
from typing import Any

from .. import reference
from .model import Point, Travel
from .travel import travel_matrix

TECHNOPARK = (35.8242, 127.1480)
DAY = 1440
SHIFT = (540, 1080)  # 09:00-18:00
VISIT_MINUTES = 180
# Start-time windows a company may offer on a day it can host (minutes after midnight).
WINDOW_KINDS = {"morning": (540, 660), "afternoon": (720, 900), "day": (540, 900)}
KM_PER_DEG = 111.2
PRIORITY_P = {1: 0.7, 2: 0.2, 3: 0.1}


def _near(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    dy, dx = rng.gauss(0.0, km), rng.gauss(0.0, km)
    return (
        round(lat + dy / KM_PER_DEG, 4),
        round(lon + dx / (KM_PER_DEG * math.cos(math.radians(lat))), 4),
    )


def _minutes(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(travel_matrix([Point(*a), Point(*b)], Travel())[0, 1])


def _plant(
    rng: random.Random, home: tuple[float, float], places: list[dict[str, Any]], weights: list[float]
) -> list[tuple[tuple[float, float], int]] | None:
    """Two companies in one municipality and their start times (minutes after midnight) on a
    09:00-18:00 day from `home`, or None when the drawn municipality is too far."""
    town = rng.choices(places, weights)[0]
    a = _near(rng, town["lat"], town["lon"], 3.0)
    b = _near(rng, town["lat"], town["lon"], 3.0)
    start_a = math.ceil((SHIFT[0] + _minutes(home, a)) / 10) * 10
    start_b = math.ceil((start_a + VISIT_MINUTES + _minutes(a, b)) / 10) * 10
    back = start_b + VISIT_MINUTES + _minutes(b, home)
    if back > SHIFT[1] or start_b > WINDOW_KINDS["day"][1]:
        return None
    return [(a, start_a), (b, start_b)]


def _windows(rng: random.Random, days: int, planted_day: int, planted_start: int) -> list[list[int]]:
    fitting = [k for k, (lo, hi) in WINDOW_KINDS.items() if lo <= planted_start <= hi]
    chosen = {planted_day: rng.choice(fitting)}
    others = [d for d in range(days) if d != planted_day]
    for d in rng.sample(others, min(len(others), rng.randint(1, 3))):
        chosen[d] = rng.choice(list(WINDOW_KINDS))
    return [[d * DAY + WINDOW_KINDS[k][0], d * DAY + WINDOW_KINDS[k][1]] for d, k in sorted(chosen.items())]


def generate(visits: int, days: int, pairs: int, seed: int) -> dict[str, Any]:
    """An instance of the routing contract: `pairs` x `days` shifts and `visits` companies."""
    rng = random.Random(seed)
    places = reference.municipalities()
    weights = [float(p["demo_weight"]) for p in places]
    homes = [
        TECHNOPARK if p % 3 == 0 else _near(rng, *_town(rng, places, weights), 4.0) for p in range(pairs)
    ]
    shifts = [
        {
            "id": f"pair-{p + 1}/day-{d + 1}",
            "start": {"lat": homes[p][0], "lon": homes[p][1]},
            "end": {"lat": homes[p][0], "lon": homes[p][1]},
            "from": d * DAY + SHIFT[0],
            "to": d * DAY + SHIFT[1],
        }
        for d in range(days)
        for p in range(pairs)
    ]
    companies: list[dict[str, Any]] = []
    slot = 0
    while len(companies) < visits:
        day, pair = divmod(slot % (days * pairs), pairs)
        slot += 1
        planted = None
        while planted is None:
            planted = _plant(rng, homes[pair], places, weights)
        for (lat, lon), start in planted[: visits - len(companies)]:
            companies.append(
                {
                    "lat": lat,
                    "lon": lon,
                    "duration": VISIT_MINUTES,
                    "windows": _windows(rng, days, day, start),
                    "priority": rng.choices(list(PRIORITY_P), list(PRIORITY_P.values()))[0],
                }
            )
    rng.shuffle(companies)
    for i, c in enumerate(companies):
        c["id"] = f"c-{i + 1:03d}"
    return {
        "version": 1,
        "travel": {"metric": "geo", "speed_kmh": 50, "road_factor": 1.3},
        "shifts": shifts,
        "visits": [{"id": c.pop("id"), **c} for c in companies],
        "params": {"shift_cost": 0},
    }


def _town(rng: random.Random, places: list[dict[str, Any]], weights: list[float]) -> tuple[float, float]:
    town = rng.choices(places, weights)[0]
    return float(town["lat"]), float(town["lon"])
