"""Checks a raw (JSON-decoded) routing instance against the contract and turns it into
`RoutingInstance`. Every problem becomes one line `record.field: message`; all problems are
collected, not just the first."""

import math
from typing import Any

from ..domain import InvalidInstance
from .model import Point, RoutingInstance, Shift, Travel, Visit

METRICS = ("geo", "euclidean")
MAX_PRIORITY = 100


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def number(
        self, rec: dict[str, Any], key: str, where: str, default: float | None = None, positive: bool = False
    ) -> float | None:
        """A number >= 0 (> 0 when `positive`); `default` when absent or null, required when None."""
        value = rec.get(key)
        if value is None:
            if default is None:
                self.fail(f"{where}.{key}", "is required")
            return default
        if not _is_number(value):
            self.fail(f"{where}.{key}", "must be a number")
            return None
        if positive and not value > 0:
            self.fail(f"{where}.{key}", "must be greater than 0")
            return None
        if value < 0:
            self.fail(f"{where}.{key}", "must be >= 0")
            return None
        return float(value)

    def ident(self, rec: dict[str, Any], where: str, seen: set[str]) -> str | None:
        value = rec.get("id")
        if value is None:
            self.fail(f"{where}.id", "is required")
            return None
        if not isinstance(value, str) or not value:
            self.fail(f"{where}.id", "must be a non-empty string")
            return None
        if value in seen:
            self.fail(f"{where}.id", f'duplicate id "{value}"')
            return None
        seen.add(value)
        return value

    def point(self, rec: dict[str, Any], where: str, metric: str) -> Point | None:
        """A place: `lat`/`lon` for geo, `x`/`y` for euclidean (`where` names the record holding them)."""
        keys = ("lat", "lon") if metric == "geo" else ("x", "y")
        values: list[float] = []
        for key, bound in zip(keys, (90.0, 180.0), strict=True):
            value = rec.get(key)
            if value is None:
                self.fail(f"{where}.{key}", f"is required for metric {metric}")
            elif not _is_number(value):
                self.fail(f"{where}.{key}", "must be a number")
            elif metric == "geo" and not -bound <= value <= bound:
                self.fail(f"{where}.{key}", f"must be between {-bound:g} and {bound:g}")
            else:
                values.append(float(value))
        return Point(values[0], values[1]) if len(values) == 2 else None

    def records(self, raw: dict[str, Any], key: str) -> list[Any]:
        value = raw.get(key)
        if value is None:
            self.fail(key, "is required")
            return []
        if not isinstance(value, list):
            self.fail(key, "must be a list")
            return []
        return value


def _travel(ck: _Checker, raw: object) -> Travel:
    if raw is None:
        return Travel()
    if not isinstance(raw, dict):
        ck.fail("travel", "must be an object")
        return Travel()
    metric = raw.get("metric", "geo")
    if metric not in METRICS:
        ck.fail("travel.metric", f"unknown metric {json_repr(metric)} (must be geo or euclidean)")
        metric = "geo"
    speed = ck.number(raw, "speed_kmh", "travel", default=50.0, positive=True)
    factor = ck.number(raw, "road_factor", "travel", default=1.3, positive=True)
    return Travel(metric, speed or 50.0, factor or 1.3)


def json_repr(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _place(ck: _Checker, rec: dict[str, Any], key: str, where: str, metric: str) -> Point | None:
    value = rec.get(key)
    if value is None:
        ck.fail(f"{where}.{key}", "is required")
        return None
    if not isinstance(value, dict):
        ck.fail(f"{where}.{key}", "must be an object")
        return None
    return ck.point(value, f"{where}.{key}", metric)


def _shift(ck: _Checker, rec: object, where: str, seen: set[str], metric: str) -> Shift | None:
    if not isinstance(rec, dict):
        ck.fail(where, "must be an object")
        return None
    n = len(ck.errors)
    sid = ck.ident(rec, where, seen)
    start = _place(ck, rec, "start", where, metric)
    end = _place(ck, rec, "end", where, metric)
    open_ = ck.number(rec, "from", where)
    close = ck.number(rec, "to", where)
    capacity = ck.number(rec, "capacity", where, default=0.0)
    if open_ is not None and close is not None and open_ > close:
        ck.fail(f"{where}.to", "must not be before from")
    if len(ck.errors) > n or sid is None or start is None or end is None:
        return None
    assert open_ is not None and close is not None and capacity is not None
    return Shift(sid, start, end, open_, close, capacity)


def _windows(ck: _Checker, rec: dict[str, Any], where: str) -> tuple[tuple[float, float], ...] | None:
    raw = rec.get("windows")
    if raw is None:
        ck.fail(f"{where}.windows", "is required")
        return None
    if not isinstance(raw, list) or not raw:
        ck.fail(f"{where}.windows", "must be a non-empty list of [open, close] pairs")
        return None
    windows: list[tuple[float, float]] = []
    for j, w in enumerate(raw):
        at = f"{where}.windows[{j}]"
        if not isinstance(w, list) or len(w) != 2:
            ck.fail(at, "must be a pair [open, close]")
        elif not all(_is_number(t) for t in w):
            ck.fail(at, "open and close must be numbers")
        elif w[0] < 0 or w[1] < 0:
            ck.fail(at, "open and close must be >= 0")
        elif w[0] > w[1]:
            ck.fail(at, f"open {w[0]:g} is after close {w[1]:g}")
        else:
            windows.append((float(w[0]), float(w[1])))
    return tuple(windows) if len(windows) == len(raw) else None


def _allowed(ck: _Checker, rec: dict[str, Any], where: str, shift_ids: set[str]) -> frozenset[str] | None:
    raw = rec.get("shifts")
    if raw is None:
        return None
    if not isinstance(raw, list):
        ck.fail(f"{where}.shifts", "must be a list of shift ids or null")
        return None
    for j, sid in enumerate(raw):
        if not isinstance(sid, str):
            ck.fail(f"{where}.shifts[{j}]", "must be a shift id (string)")
        elif sid not in shift_ids:
            ck.fail(f"{where}.shifts[{j}]", f'unknown shift "{sid}"')
    return frozenset(s for s in raw if isinstance(s, str))


def _visit(
    ck: _Checker, rec: object, where: str, seen: set[str], metric: str, shift_ids: set[str]
) -> Visit | None:
    if not isinstance(rec, dict):
        ck.fail(where, "must be an object")
        return None
    n = len(ck.errors)
    vid = ck.ident(rec, where, seen)
    at = ck.point(rec, where, metric)
    duration = ck.number(rec, "duration", where)
    windows = _windows(ck, rec, where)
    priority = rec.get("priority", 1)
    if priority is None:
        priority = 1
    if not _is_int(priority) or not 1 <= priority <= MAX_PRIORITY:
        ck.fail(f"{where}.priority", f"must be an integer between 1 and {MAX_PRIORITY}")
    demand = ck.number(rec, "demand", where, default=0.0)
    allowed = _allowed(ck, rec, where, shift_ids)
    if len(ck.errors) > n or vid is None or at is None or windows is None:
        return None
    assert duration is not None and demand is not None
    return Visit(vid, at, duration, windows, priority, demand, allowed)


def parse(raw: object) -> tuple[RoutingInstance | None, list[str]]:
    """Validate a decoded JSON instance; returns (instance, []) or (None, errors)."""
    if not isinstance(raw, dict):
        return None, ["instance: must be a JSON object"]
    ck = _Checker()
    version = raw.get("version")
    if version is None:
        ck.fail("version", "is required (must be 1)")
    elif not _is_int(version) or version != 1:
        ck.fail("version", f"unsupported version {json_repr(version)} (must be 1)")
    travel = _travel(ck, raw.get("travel"))
    shift_recs = ck.records(raw, "shifts")
    visit_recs = ck.records(raw, "visits")
    seen: set[str] = set()
    shifts = [_shift(ck, rec, f"shifts[{i}]", seen, travel.metric) for i, rec in enumerate(shift_recs)]
    shift_ids = {rec["id"] for rec in shift_recs if isinstance(rec, dict) and isinstance(rec.get("id"), str)}
    seen = set()
    visits = [
        _visit(ck, rec, f"visits[{i}]", seen, travel.metric, shift_ids) for i, rec in enumerate(visit_recs)
    ]
    shift_cost = 0.0
    params = raw.get("params")
    if params is not None and not isinstance(params, dict):
        ck.fail("params", "must be an object")
    elif params is not None:
        shift_cost = ck.number(params, "shift_cost", "params", default=0.0) or 0.0
    if ck.errors:
        return None, ck.errors
    return (
        RoutingInstance(
            [s for s in shifts if s is not None], [v for v in visits if v is not None], travel, shift_cost
        ),
        [],
    )


def parse_or_raise(raw: object) -> RoutingInstance:
    instance, errors = parse(raw)
    if instance is None:
        raise InvalidInstance(errors)
    return instance
