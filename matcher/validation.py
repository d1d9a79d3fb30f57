"""Checks a raw (JSON-decoded) instance against the contract and turns it into `Instance`.

Every problem becomes one line `record.field: message`, e.g.
`companies[3].lat: must be between -90 and 90`; all problems are collected, not just the first.
"""

import enum
import math
import re
from typing import Any, Final, NamedTuple, TypeGuard

from .domain import Company, Instance, InvalidInstance, Mentor, Params

KSIC_CODE = re.compile(r"[A-Z][0-9]{2}")
MAX_DISTANCE_LIMIT_KM = 1000


class _Missing(enum.Enum):
    """Marks a key absent from a record (as opposed to present with value null)."""

    MISSING = enum.auto()


_MISSING: Final = _Missing.MISSING


def _is_int(x: object) -> TypeGuard[int]:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_number(x: object) -> TypeGuard[int | float]:
    return (_is_int(x) or isinstance(x, float)) and math.isfinite(x)


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def id(self, rec: dict[str, Any], where: str, seen: set[str]) -> str | None:
        value = rec.get("id", _MISSING)
        if value is _MISSING:
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

    def number(
        self,
        rec: dict[str, Any],
        key: str,
        where: str,
        lo: float,
        hi: float,
        default: float | _Missing = _MISSING,
    ) -> float | None:
        value = rec.get(key, _MISSING)
        if (value is None and default is not _MISSING) or value is _MISSING:
            if default is _MISSING:
                self.fail(f"{where}.{key}", "is required")
                return None
            return default
        if not _is_number(value):
            self.fail(f"{where}.{key}", "must be a number")
            return None
        if not lo <= value <= hi:
            self.fail(f"{where}.{key}", f"must be between {lo:g} and {hi:g}")
            return None
        return float(value)

    def integer(
        self,
        rec: dict[str, Any],
        key: str,
        where: str,
        lo: int,
        hi: int | None = None,
        default: int | _Missing | None = _MISSING,
    ) -> int | None:
        value = rec.get(key, _MISSING)
        if (value is None and default is not _MISSING) or value is _MISSING:
            if default is _MISSING:
                self.fail(f"{where}.{key}", "is required")
                return None
            return default
        if not _is_int(value):
            self.fail(f"{where}.{key}", "must be an integer")
            return None
        if value < lo or (hi is not None and value > hi):
            bounds = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
            self.fail(f"{where}.{key}", f"must be {bounds}")
            return None
        return value

    def optional_string(self, rec: dict[str, Any], key: str, where: str) -> str | None:
        value = rec.get(key)
        if value is not None and not isinstance(value, str):
            self.fail(f"{where}.{key}", "must be a string or null")
            return None
        return value

    def code(self, value: object, where: str) -> TypeGuard[str]:
        if not isinstance(value, str) or not KSIC_CODE.fullmatch(value):
            self.fail(where, f"must be a KSIC division code (letter + two digits, e.g. C29), got {value!r}")
            return False
        return True

    def records(self, raw: dict[str, Any], key: str) -> list[object]:
        value = raw.get(key, _MISSING)
        if value is _MISSING:
            self.fail(key, "is required")
            return []
        if not isinstance(value, list):
            self.fail(key, "must be a list")
            return []
        return value


def _mentor(ck: _Checker, rec: object, where: str, seen: set[str]) -> Mentor | None:
    if not isinstance(rec, dict):
        ck.fail(where, "must be an object")
        return None
    n = len(ck.errors)
    mid = ck.id(rec, where, seen)
    lat = ck.number(rec, "lat", where, -90, 90)
    lon = ck.number(rec, "lon", where, -180, 180)
    capacity = ck.integer(rec, "capacity", where, 0)
    industries: dict[str, int] = {}
    raw_ind = rec.get("industries", _MISSING)
    if raw_ind is _MISSING:
        ck.fail(f"{where}.industries", "is required")
    elif not isinstance(raw_ind, dict):
        ck.fail(f"{where}.industries", "must be an object mapping KSIC division to fit")
    else:
        for code, fit in raw_ind.items():
            if ck.code(code, f"{where}.industries"):
                if _is_int(fit) and 1 <= fit <= 100:
                    industries[code] = fit
                else:
                    ck.fail(f"{where}.industries.{code}", "fit must be an integer between 1 and 100")
    exclude = rec.get("exclude")
    if exclude is None:
        exclude = []
    elif not isinstance(exclude, list):
        ck.fail(f"{where}.exclude", "must be a list of company ids")
        exclude = []
    else:
        for i, cid in enumerate(exclude):
            if not isinstance(cid, str):
                ck.fail(f"{where}.exclude[{i}]", "must be a company id (string)")
    # each of these is None only with an error added above
    if len(ck.errors) > n or mid is None or lat is None or lon is None or capacity is None:
        return None
    return Mentor(mid, lat, lon, capacity, industries, frozenset(exclude))


class CompanyHead(NamedTuple):
    """The fields every company record starts with, as checked (None where an error was added)."""

    rec: dict[str, Any]
    cid: str | None
    lat: float | None
    lon: float | None
    industry: Any


def company_head(ck: _Checker, rec: object, where: str, seen: set[str]) -> CompanyHead | None:
    """Check a company record's id, place and industry (the matching and the planning contracts
    share them); None when `rec` is no object at all."""
    if not isinstance(rec, dict):
        ck.fail(where, "must be an object")
        return None
    cid = ck.id(rec, where, seen)
    lat = ck.number(rec, "lat", where, -90, 90)
    lon = ck.number(rec, "lon", where, -180, 180)
    industry = rec.get("industry", _MISSING)
    if industry is _MISSING:
        ck.fail(f"{where}.industry", "is required")
    else:
        ck.code(industry, f"{where}.industry")
    return CompanyHead(rec, cid, lat, lon, industry)


def _company(ck: _Checker, rec: object, where: str, seen: set[str]) -> Company | None:
    n = len(ck.errors)
    head = company_head(ck, rec, where, seen)
    if head is None:
        return None
    rec, cid, lat, lon, industry = head
    priority = ck.integer(rec, "priority", where, 1, 5, default=1)
    municipality = ck.optional_string(rec, "municipality", where)
    pinned = ck.optional_string(rec, "pinned_mentor", where)
    current = ck.optional_string(rec, "current_mentor", where)
    # each of these is None only with an error added above (priority defaults to 1)
    if len(ck.errors) > n or cid is None or lat is None or lon is None or priority is None:
        return None
    return Company(cid, lat, lon, industry, priority, municipality, pinned, current)


def _params(ck: _Checker, raw: object) -> Params:
    if raw is None:
        return Params()
    if not isinstance(raw, dict):
        ck.fail("params", "must be an object")
        return Params()
    max_distance_km = ck.number(raw, "max_distance_km", "params", 0, MAX_DISTANCE_LIMIT_KM, default=80.0)
    max_municipalities_per_mentor = ck.integer(
        raw, "max_municipalities_per_mentor", "params", 1, default=None
    )
    min_load = ck.integer(raw, "min_load", "params", 0, default=None)
    stability = ck.integer(raw, "stability", "params", 0, default=None)
    if max_distance_km is None:  # only with an error added above: these params are never used
        return Params()
    return Params(
        max_distance_km=max_distance_km,
        max_municipalities_per_mentor=max_municipalities_per_mentor,
        min_load=min_load,
        stability=stability,
    )


def _check_pins(
    ck: _Checker, companies: list[Company | None], mentors: list[Mentor | None], mentor_ids: set[str]
) -> None:
    """A pin must name a known mentor that serves the company's industry, does not exclude it
    and still has room (pins count toward capacity). Pins to a mentor whose own record is
    invalid are not judged (that record already has its error)."""
    by_id = {m.id: m for m in mentors if m is not None}
    pinned_so_far: dict[str, int] = {}
    for i, c in enumerate(companies):
        if c is None or c.pinned_mentor is None:
            continue
        where, mid = f"companies[{i}].pinned_mentor", c.pinned_mentor
        m = by_id.get(mid)
        if m is None:
            if mid not in mentor_ids:
                ck.fail(where, f'unknown mentor "{mid}"')
        elif c.industry not in m.industries:
            ck.fail(where, f'mentor "{mid}" does not serve industry {c.industry}')
        elif c.id in m.exclude:
            ck.fail(where, f'mentor "{mid}" excludes this company')
        else:
            pinned_so_far[mid] = pinned_so_far.get(mid, 0) + 1
            if pinned_so_far[mid] > m.capacity:
                ck.fail(
                    where,
                    f'mentor "{mid}" is over capacity: more than its capacity '
                    f"{m.capacity} companies are pinned to it",
                )


def parse(raw: object) -> tuple[Instance | None, list[str]]:
    """Validate a decoded JSON instance; returns (instance, []) or (None, errors)."""
    ck = _Checker()
    if not isinstance(raw, dict):
        return None, ["instance: must be a JSON object"]
    version = raw.get("version", _MISSING)
    if version is _MISSING:
        ck.fail("version", "is required (must be 1)")
    elif not _is_int(version) or version != 1:
        ck.fail("version", f"unsupported version {version!r} (must be 1)")
    seen_m: set[str] = set()
    seen_c: set[str] = set()
    mentors = [_mentor(ck, r, f"mentors[{i}]", seen_m) for i, r in enumerate(ck.records(raw, "mentors"))]
    companies = [
        _company(ck, r, f"companies[{i}]", seen_c) for i, r in enumerate(ck.records(raw, "companies"))
    ]
    params = _params(ck, raw.get("params"))
    _check_pins(ck, companies, mentors, seen_m)
    if ck.errors:
        return None, ck.errors
    # without errors no record is None
    return Instance(
        [m for m in mentors if m is not None], [c for c in companies if c is not None], params
    ), []


def validate(raw: object) -> list[str]:
    """Contract-style error lines for a decoded instance; empty when it is valid."""
    return parse(raw)[1]


def parse_or_raise(raw: object) -> Instance:
    instance, errors = parse(raw)
    if errors or instance is None:  # instance is None only with errors
        raise InvalidInstance(errors)
    return instance
