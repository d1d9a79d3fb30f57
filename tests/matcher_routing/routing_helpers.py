"""Independent judge of the routing contract (shares no code with matcher.routing) and small
instance builders for the router's tests."""

import itertools
import math
from typing import Any

TOL = 0.01  # the contract checks times to within 0.01 minutes


def minutes(instance: dict[str, Any], a: dict[str, Any], b: dict[str, Any]) -> float:
    """Travel minutes between two places, straight from the contract's definitions."""
    travel = instance.get("travel") or {}
    if travel.get("metric", "geo") == "euclidean":
        return math.sqrt((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2)
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dlon = math.radians(b["lon"] - a["lon"])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    km = 2 * 6371.0 * math.asin(math.sqrt(min(h, 1.0)))
    return km * travel.get("road_factor", 1.3) / travel.get("speed_kmh", 50) * 60


def check(instance: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """Every rule of the contract; returns the broken ones (empty when the result is valid)."""
    problems: list[str] = []
    shifts = {s["id"]: s for s in instance["shifts"]}
    visits = {v["id"]: v for v in instance["visits"]}
    seen: list[str] = []
    travel_total, priority, used = 0.0, 0, set()
    for r in result["routes"]:
        s = shifts.get(r["shift"])
        if s is None:
            problems.append(f"route on unknown shift {r['shift']}")
            continue
        if r["shift"] in used:
            problems.append(f"shift {r['shift']} has two routes")
        used.add(r["shift"])
        here, t, load = s["start"], s["from"], 0.0
        for stop in r["stops"]:
            v = visits.get(stop["visit"])
            if v is None:
                problems.append(f"unknown visit {stop['visit']}")
                continue
            seen.append(v["id"])
            priority += v.get("priority", 1)
            load += v.get("demand", 0)
            allowed = v.get("shifts")
            if allowed is not None and s["id"] not in allowed:
                problems.append(f"{v['id']} not allowed on {s['id']}")
            leg = minutes(instance, here, v)
            travel_total += leg
            if abs(stop["arrive"] - (t + leg)) > TOL:
                problems.append(f"{v['id']}: arrive {stop['arrive']} but the drive gives {t + leg}")
            if stop["start"] < stop["arrive"] - TOL:
                problems.append(f"{v['id']}: starts before arriving")
            if not any(o - TOL <= stop["start"] <= c + TOL for o, c in v["windows"]):
                problems.append(f"{v['id']}: start {stop['start']} outside its windows")
            if abs(stop["end"] - stop["start"] - v["duration"]) > TOL:
                problems.append(f"{v['id']}: lasts {stop['end'] - stop['start']}, not {v['duration']}")
            here, t = v, stop["end"]
        leg = minutes(instance, here, s["end"])
        travel_total += leg
        if t + leg > s["to"] + TOL:
            problems.append(f"{s['id']}: back at {t + leg}, after {s['to']}")
        if s.get("capacity", 0) > 0 and load > s["capacity"] + 1e-9:
            problems.append(f"{s['id']}: load {load} over capacity {s['capacity']}")
        if not r["stops"]:
            problems.append(f"{s['id']}: empty route listed")
    unserved = [u["visit"] for u in result["unserved"]]
    if sorted(seen + unserved) != sorted(visits):
        problems.append("not every visit appears exactly once in routes or unserved")
    if any(not isinstance(u.get("reason"), str) or not u["reason"] for u in result["unserved"]):
        problems.append("an unserved visit has no reason")
    if abs(result["travel_minutes"] - travel_total) > TOL:
        problems.append(f"travel_minutes {result['travel_minutes']} but the legs sum to {travel_total}")
    if result["served_priority"] != priority:
        problems.append(f"served_priority {result['served_priority']} but served visits sum to {priority}")
    if result["shifts_used"] != len(used):
        problems.append(f"shifts_used {result['shifts_used']} but {len(used)} routes")
    if result["status"] not in ("OPTIMAL", "FEASIBLE"):
        problems.append(f"status {result['status']}")
    return problems


def shift(
    sid: str, x: float = 0, y: float = 0, frm: float = 0, to: float = 1000, **extra: Any
) -> dict[str, Any]:
    return {"id": sid, "start": {"x": x, "y": y}, "end": {"x": x, "y": y}, "from": frm, "to": to, **extra}


def visit(
    vid: str, x: float, y: float, windows: list[list[float]] | None = None, duration: float = 10, **extra: Any
) -> dict[str, Any]:
    return {"id": vid, "x": x, "y": y, "duration": duration, "windows": windows or [[0, 1000]], **extra}


def euclid(
    shifts: list[dict[str, Any]], visits: list[dict[str, Any]], shift_cost: float = 0
) -> dict[str, Any]:
    return {
        "version": 1,
        "travel": {"metric": "euclidean"},
        "shifts": shifts,
        "visits": visits,
        "params": {"shift_cost": shift_cost},
    }


def earliest_route(instance: dict[str, Any], s: dict[str, Any], order: list[dict[str, Any]]) -> float | None:
    """Travel minutes of serving `order` on shift `s` as early as possible, or None if infeasible."""
    if s.get("capacity", 0) > 0 and sum(v.get("demand", 0) for v in order) > s["capacity"]:
        return None
    here, t, travel = s["start"], s["from"], 0.0
    for v in order:
        if v.get("shifts") is not None and s["id"] not in v["shifts"]:
            return None
        leg = minutes(instance, here, v)
        arrive = t + leg
        starts = [max(arrive, o) for o, c in v["windows"] if arrive <= c]
        if not starts:
            return None
        here, t, travel = v, min(starts) + v["duration"], travel + leg
    leg = minutes(instance, here, s["end"])
    return travel + leg if t + leg <= s["to"] else None


def brute_force(instance: dict[str, Any]) -> tuple[int, float]:
    """The optimum (served priority, travel + shift_cost x shifts used) by trying every plan."""
    shifts, visits = instance["shifts"], instance["visits"]
    shift_cost = (instance.get("params") or {}).get("shift_cost", 0)
    best = (0, 0.0)
    for choice in itertools.product(range(len(shifts) + 1), repeat=len(visits)):
        total, cost, ok = 0, 0.0, True
        for k, s in enumerate(shifts):
            mine = [v for v, c in zip(visits, choice, strict=True) if c == k + 1]
            if not mine:
                continue
            costs = [earliest_route(instance, s, list(p)) for p in itertools.permutations(mine)]
            feasible = [c for c in costs if c is not None]
            if not feasible:
                ok = False
                break
            total += sum(v.get("priority", 1) for v in mine)
            cost += min(feasible) + shift_cost
        if ok and (total > best[0] or (total == best[0] and cost < best[1])):
            best = (total, cost)
    return best
