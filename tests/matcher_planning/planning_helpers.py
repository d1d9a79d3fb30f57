"""Helpers for the planner tests: small instances by hand, and an independent brute force
(its own rule checks and value, nothing from matcher.planning)."""

import itertools
import math
from typing import Any

from matcher.geo import distance_km

JEONJU = (35.8242, 127.1480)


def mentor(mid: str, **fields: Any) -> dict[str, Any]:
    return {"id": mid, "lat": JEONJU[0], "lon": JEONJU[1], "industries": {"C29": 80}} | fields


def company(cid: str, **fields: Any) -> dict[str, Any]:
    return {"id": cid, "lat": JEONJU[0], "lon": JEONJU[1], "industry": "C29", "weeks": 2} | fields


def instance(
    mentors: list[dict[str, Any]], companies: list[dict[str, Any]], horizon: int = 6, **params: Any
) -> dict[str, Any]:
    return {
        "version": 1,
        "horizon_weeks": horizon,
        "mentors": mentors,
        "companies": companies,
        "params": params,
    }


def member(c: dict[str, Any], m: dict[str, Any]) -> int:
    return 10 * m["industries"].get(c["industry"], 0) - math.floor(
        distance_km(c["lat"], c["lon"], m["lat"], m["lon"])
    )


def options(inst: dict[str, Any], c: dict[str, Any]) -> list[tuple[int, tuple[str, ...], int]]:
    """Every (start, team, value) keeping rules 1-2 for company c (all starts and teams)."""
    horizon = inst["horizon_weeks"]
    limit = inst.get("params", {}).get("max_commute_km", 80)
    k, weeks = c.get("team_size", 1), c["weeks"]
    first, end = c.get("earliest_week", 0), c.get("latest_end_week", horizon)
    out = []
    for team in itertools.combinations(inst["mentors"], k):
        if any(c["id"] in m.get("exclude", []) for m in team):
            continue
        if any(distance_km(c["lat"], c["lon"], m["lat"], m["lon"]) > limit for m in team):
            continue
        if not any(c["industry"] in m["industries"] for m in team):
            continue
        if not all(any(s in m.get("skills", []) for m in team) for s in c.get("skills", [])):
            continue
        for start in range(first, end - weeks + 1):
            value = 100000 * c.get("score", 50) + sum(member(c, m) for m in team) - start
            out.append((start, tuple(m["id"] for m in team), value))
    return out


def brute_force(inst: dict[str, Any]) -> int | None:
    """The optimum by exhaustive search (None when no plan meets the minimums); no pins."""
    mentors = {m["id"]: m for m in inst["mentors"]}
    params = inst.get("params", {})
    quotas, minimums = params.get("quotas", {}), params.get("min_per_municipality", {})
    companies = inst["companies"]
    choices = [sorted(options(inst, c), key=lambda o: -o[2]) for c in companies]
    rest = [sum(max((o[2] for o in ch), default=0) for ch in choices[i:]) for i in range(len(choices) + 1)]
    best: list[int | None] = [None]
    load: dict[tuple[str, int], int] = {}

    def fits(c: dict[str, Any], start: int, team: tuple[str, ...]) -> bool:
        return all(
            w not in mentors[mid].get("unavailable_weeks", [])
            and load.get((mid, w), 0) < mentors[mid].get("max_concurrent", 1)
            for mid in team
            for w in range(start, start + c["weeks"])
        )

    def go(i: int, value: int, picked: list[dict[str, Any]]) -> None:
        if best[0] is not None and value + rest[i] <= best[0]:
            return
        if i == len(companies):
            tracks = [c.get("track", "") for c in picked]
            places = [c.get("municipality", "") for c in picked]
            if all(tracks.count(t) <= q for t, q in quotas.items()) and all(
                places.count(p) >= n for p, n in minimums.items()
            ):
                if best[0] is None or value > best[0]:
                    best[0] = value
            return
        c = companies[i]
        for start, team, v in choices[i]:
            if fits(c, start, team):
                for mid in team:
                    for w in range(start, start + c["weeks"]):
                        load[(mid, w)] = load.get((mid, w), 0) + 1
                go(i + 1, value + v, [*picked, c])
                for mid in team:
                    for w in range(start, start + c["weeks"]):
                        load[(mid, w)] -= 1
        go(i + 1, value, picked)

    go(0, 0, [])
    return best[0]
