"""Checks a raw (JSON-decoded) planning instance against the contract and builds `Instance`.

Every problem is one line `record.field: message`; all problems are collected. Record checks
reuse the matcher's `_Checker` (same messages as `solve`); pins are judged against every rule
but the commute limit, in input order, so the pin that breaks capacity or a quota is named.
"""

from collections import Counter
from typing import Any

from ..domain import InvalidInstance
from ..validation import _MISSING, _Checker, company_head
from .model import Company, Engagement, Instance, Mentor, Params
from .rules import exclusion_rule, industry_rule, skills_rule, window_rule

MAX_HORIZON = 104
MAX_COMMUTE_LIMIT_KM = 1000


def _strings(ck: _Checker, rec: dict[str, Any], key: str, where: str, lowercase: bool = False) -> list[str]:
    value = rec.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        ck.fail(f"{where}.{key}", "must be a list of strings")
        return []
    out = []
    for i, s in enumerate(value):
        if not isinstance(s, str) or not s or (lowercase and s != s.lower()):
            kind = "a non-empty lowercase string" if lowercase else "a non-empty string"
            ck.fail(f"{where}.{key}[{i}]", f"must be {kind}")
        else:
            out.append(s)
    return out


def _weeks(ck: _Checker, rec: dict[str, Any], key: str, where: str, horizon: int) -> frozenset[int]:
    value = rec.get(key)
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        ck.fail(f"{where}.{key}", "must be a list of week numbers")
        return frozenset()
    weeks = set()
    for i, w in enumerate(value):
        if not isinstance(w, int) or isinstance(w, bool) or not 0 <= w < horizon:
            ck.fail(f"{where}.{key}[{i}]", f"must be a week between 0 and {horizon - 1}")
        else:
            weeks.add(w)
    return frozenset(weeks)


def _industries(ck: _Checker, rec: dict[str, Any], where: str) -> dict[str, int]:
    raw = rec.get("industries", _MISSING)
    if raw is _MISSING:
        ck.fail(f"{where}.industries", "is required")
        return {}
    if not isinstance(raw, dict):
        ck.fail(f"{where}.industries", "must be an object mapping KSIC division to fit")
        return {}
    out = {}
    for code, fit in raw.items():
        if ck.code(code, f"{where}.industries"):
            if isinstance(fit, int) and not isinstance(fit, bool) and 1 <= fit <= 100:
                out[code] = fit
            else:
                ck.fail(f"{where}.industries.{code}", "fit must be an integer between 1 and 100")
    return out


def _mentor(ck: _Checker, rec: object, where: str, seen: set[str], horizon: int) -> Mentor | None:
    if not isinstance(rec, dict):
        ck.fail(where, "must be an object")
        return None
    n = len(ck.errors)
    mid = ck.id(rec, where, seen)
    lat = ck.number(rec, "lat", where, -90, 90)
    lon = ck.number(rec, "lon", where, -180, 180)
    industries = _industries(ck, rec, where)
    skills = _strings(ck, rec, "skills", where, lowercase=True)
    unavailable = _weeks(ck, rec, "unavailable_weeks", where, horizon)
    max_concurrent = ck.integer(rec, "max_concurrent", where, 0, default=1)
    exclude = _strings(ck, rec, "exclude", where)
    if len(ck.errors) > n or mid is None or lat is None or lon is None or max_concurrent is None:
        return None
    return Mentor(
        mid, lat, lon, industries, frozenset(skills), unavailable, max_concurrent, frozenset(exclude)
    )


def _engagement(ck: _Checker, rec: dict[str, Any], key: str, where: str) -> Engagement | None:
    """A `pinned` or `current` object: {"start_week": S, "mentors": [ids]} (structure only)."""
    raw = rec.get(key)
    if raw is None:
        return None
    where = f"{where}.{key}"
    if not isinstance(raw, dict):
        ck.fail(where, 'must be null or an object {"start_week": S, "mentors": [ids]}')
        return None
    n = len(ck.errors)
    start = ck.integer(raw, "start_week", where, 0)
    mentors = raw.get("mentors", _MISSING)
    if mentors is _MISSING:
        ck.fail(f"{where}.mentors", "is required")
    elif not isinstance(mentors, list) or not mentors:
        ck.fail(f"{where}.mentors", "must be a non-empty list of mentor ids")
    else:
        for i, mid in enumerate(mentors):
            if not isinstance(mid, str):
                ck.fail(f"{where}.mentors[{i}]", "must be a mentor id (string)")
    if len(ck.errors) > n or start is None:
        return None
    return Engagement(start, tuple(mentors))


def _company(ck: _Checker, rec: object, where: str, seen: set[str], horizon: int) -> Company | None:
    n = len(ck.errors)
    head = company_head(ck, rec, where, seen)
    if head is None:
        return None
    rec, cid, lat, lon, industry = head
    municipality = ck.optional_string(rec, "municipality", where) or ""
    track = ck.optional_string(rec, "track", where) or ""
    score = ck.integer(rec, "score", where, 1, 100, default=50)
    weeks = ck.integer(rec, "weeks", where, 1, horizon)
    earliest = ck.integer(rec, "earliest_week", where, 0, horizon - 1, default=0)
    latest_end = ck.integer(rec, "latest_end_week", where, 1, horizon, default=horizon)
    team_size = ck.integer(rec, "team_size", where, 1, 5, default=1)
    skills = _strings(ck, rec, "skills", where, lowercase=True)
    pinned = _engagement(ck, rec, "pinned", where)
    current = _engagement(ck, rec, "current", where)
    # A None below comes with an error recorded; the checks also tell mypy the types.
    if (
        len(ck.errors) > n
        or cid is None
        or not isinstance(industry, str)
        or lat is None
        or lon is None
        or score is None
        or weeks is None
        or earliest is None
        or latest_end is None
        or team_size is None
    ):
        return None
    if earliest + weeks > latest_end:
        ck.fail(
            f"{where}.latest_end_week",
            f"window weeks {earliest}-{latest_end - 1} is shorter than the engagement ({weeks} weeks)",
        )
        return None
    return Company(
        cid,
        lat,
        lon,
        industry,
        weeks,
        municipality,
        track,
        score,
        earliest,
        latest_end,
        team_size,
        tuple(dict.fromkeys(skills)),
        pinned,
        current,
    )


def _counts(ck: _Checker, raw: dict[str, Any], key: str) -> dict[str, int]:
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        ck.fail(f"params.{key}", "must be an object mapping a name to a count")
        return {}
    out = {}
    for name, n in value.items():
        if isinstance(n, int) and not isinstance(n, bool) and n >= 0:
            out[name] = n
        else:
            ck.fail(f"params.{key}.{name}", "must be an integer >= 0")
    return out


def _params(ck: _Checker, raw: object) -> Params:
    if raw is None:
        return Params()
    if not isinstance(raw, dict):
        ck.fail("params", "must be an object")
        return Params()
    km = ck.number(raw, "max_commute_km", "params", 0, MAX_COMMUTE_LIMIT_KM, default=80.0)
    stability = ck.integer(raw, "stability", "params", 0, default=0)
    return Params(  # a None here comes with an error already recorded: the instance is refused
        max_commute_km=80.0 if km is None else km,
        quotas=_counts(ck, raw, "quotas"),
        min_per_municipality=_counts(ck, raw, "min_per_municipality"),
        stability=0 if stability is None else stability,
    )


def _check_pin(
    ck: _Checker, c: Company, where: str, mentors: dict[str, Mentor], load: Counter[tuple[str, int]]
) -> None:
    """One pin against every rule but commute and quotas; counts its weeks into `load`."""
    pin = c.pinned
    assert pin is not None
    window = window_rule(c, pin.start_week)
    if window:
        ck.fail(f"{where}.start_week", window)
    if len(pin.mentors) != c.team_size:
        ck.fail(f"{where}.mentors", f"team of {len(pin.mentors)} mentors, team_size is {c.team_size}")
    team = []
    for j, mid in enumerate(pin.mentors):
        if mid not in mentors:
            ck.fail(f"{where}.mentors[{j}]", f'unknown mentor "{mid}"')
        elif mid in pin.mentors[:j]:
            ck.fail(f"{where}.mentors[{j}]", f'mentor "{mid}" repeated')
        else:
            team.append(mentors[mid])
    for rule in (exclusion_rule, industry_rule, skills_rule):
        problem = rule(c, team)
        if problem and len(team) == len(pin.mentors):
            ck.fail(f"{where}.mentors", problem)
    for j, m in enumerate(team):
        for w in range(pin.start_week, pin.start_week + c.weeks):
            load[(m.id, w)] += 1
            if w in m.unavailable_weeks:
                ck.fail(f"{where}.mentors[{j}]", f'mentor "{m.id}" is unavailable in week {w}')
            elif load[(m.id, w)] > m.max_concurrent:
                ck.fail(
                    f"{where}.mentors[{j}]",
                    f'mentor "{m.id}" is over max_concurrent {m.max_concurrent} in week {w} '
                    "counting all pins",
                )


def _check_pins(ck: _Checker, companies: list[Company], mentors: list[Mentor], params: Params) -> None:
    by_id = {m.id: m for m in mentors}
    load: Counter[tuple[str, int]] = Counter()
    per_track: Counter[str] = Counter()
    for i, c in enumerate(companies):
        if c.pinned is None:
            continue
        where = f"companies[{i}].pinned"
        _check_pin(ck, c, where, by_id, load)
        per_track[c.track] += 1
        quota = params.quotas.get(c.track)
        if quota is not None and per_track[c.track] > quota:
            ck.fail(where, f"pins exceed the quota of track {c.track!r} ({quota})")


def parse(raw: object) -> tuple[Instance | None, list[str]]:
    """Validate a decoded JSON instance; returns (instance, []) or (None, errors)."""
    if not isinstance(raw, dict):
        return None, ["instance: must be a JSON object"]
    ck = _Checker()  # type: ignore[no-untyped-call, unused-ignore]  # until matcher.validation is typed
    version = raw.get("version", _MISSING)
    if version is _MISSING:
        ck.fail("version", "is required (must be 1)")
    elif not isinstance(version, int) or isinstance(version, bool) or version != 1:
        ck.fail("version", f"unsupported version {version!r} (must be 1)")
    horizon = ck.integer(raw, "horizon_weeks", "instance", 1, MAX_HORIZON)
    if horizon is None:
        return None, [e.replace("instance.horizon_weeks", "horizon_weeks") for e in ck.errors]
    seen_m: set[str] = set()
    seen_c: set[str] = set()
    mentors = [
        _mentor(ck, r, f"mentors[{i}]", seen_m, horizon) for i, r in enumerate(ck.records(raw, "mentors"))
    ]
    companies = [
        _company(ck, r, f"companies[{i}]", seen_c, horizon)
        for i, r in enumerate(ck.records(raw, "companies"))
    ]
    params = _params(ck, raw.get("params"))
    if ck.errors:
        return None, ck.errors
    valid_m = [m for m in mentors if m is not None]
    valid_c = [c for c in companies if c is not None]
    _check_pins(ck, valid_c, valid_m, params)
    if ck.errors:
        return None, ck.errors
    return Instance(horizon, valid_m, valid_c, params), []


def parse_or_raise(raw: object) -> Instance:
    instance, errors = parse(raw)
    if instance is None:
        raise InvalidInstance(errors)
    return instance
