"""Realistic random planning instances (`generate-plan`): the places, industries, mentors'
divisions and exclusions of `generate` (same arguments, same draws), plus the year's facts of
docs/planner.md: scores, tracks, 6-10 week engagements, teams of 1-4 (mostly 2-3), skills,
leave, quotas sized to the mentors' capacity, small-county minimums and a few running pins.

Deterministic: the base instance comes from `generate`, the rest from one numpy Generator
seeded with the same seed, drawn in a fixed order.
"""

from typing import Any

import numpy as np

from ..generator import generate_instance
from .model import Company, Engagement, Instance
from .pricing import TeamPicker
from .pruning import prepare
from .rules import capacity_problems, team_problems

SKILLS = ("automation", "quality", "logistics", "it", "safety", "layout")
SKILL_P = (0.3, 0.25, 0.15, 0.12, 0.1, 0.08)
TRACKS = ("JS1", "JS2", "JS3")
TRACK_P = (0.3, 0.54, 0.16)  # 2024: 53, 95 and ~28 business plans
QUOTA_SHARE = (0.45, 0.45, 0.10)
TEAM_P = {1: 0.05, 2: 0.55, 3: 0.35, 4: 0.05}
SMALL_COUNTIES = ("Jinan", "Muju", "Jangsu", "Imsil", "Sunchang")
COMMUTE_KM = {"province": 60, "nation": 80}
PIN_SHARE = 0.03


def _seed(seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, 12])  # a stream of its own, apart from generate's


def _company_fields(rng: np.random.Generator, n: int, horizon: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(n):
        weeks = int(rng.integers(6, 11))
        earliest = int(rng.integers(0, horizon // 3)) if rng.random() < 0.2 else 0
        latest_end = horizon - int(rng.integers(0, horizon // 3)) if rng.random() < 0.2 else horizon
        latest_end = max(latest_end, min(horizon, earliest + weeks + 4))
        earliest = min(earliest, latest_end - weeks)
        skills = rng.choice(
            len(SKILLS), size=int(rng.choice(3, p=[0.35, 0.45, 0.2])), replace=False, p=SKILL_P
        )
        out.append(
            {
                "track": TRACKS[int(rng.choice(3, p=TRACK_P))],
                "score": int(np.clip(round(rng.normal(68, 12)), 1, 100)),
                "weeks": weeks,
                "earliest_week": earliest,
                "latest_end_week": latest_end,
                "team_size": int(rng.choice(list(TEAM_P), p=list(TEAM_P.values()))),
                "skills": sorted(SKILLS[i] for i in skills.tolist()),
            }
        )
    return out


def _mentor_fields(rng: np.random.Generator, n: int, horizon: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(n):
        skills = rng.choice(len(SKILLS), size=int(rng.integers(2, 5)), replace=False, p=SKILL_P)
        leave: list[int] = []
        if rng.random() < 0.3:
            first = int(rng.integers(0, horizon))
            leave = list(range(first, min(horizon, first + int(rng.integers(1, 4)))))
        out.append(
            {
                "skills": sorted(SKILLS[i] for i in skills.tolist()),
                "unavailable_weeks": leave,
                "max_concurrent": 2 if rng.random() < 0.1 else 1,
            }
        )
    return out


def _quotas(n_mentors: int, horizon: int, n_companies: int) -> dict[str, int]:
    """About 85% of what the mentors can serve (2.4 mentors for 8 weeks an engagement), shared
    like the 2026 call, never more than the applicants."""
    places = min(n_companies, int(0.85 * n_mentors * horizon / (2.4 * 8)))
    return {t: max(1, round(places * share)) for t, share in zip(TRACKS, QUOTA_SHARE, strict=True)}


def _small_county_minimums(raw: dict[str, Any]) -> dict[str, int]:
    """One place for each small county with an applicant that some valid team can serve: the
    province's rule, kept feasible (a county whose applicants no team can serve would make the
    whole instance INFEASIBLE, which says nothing about the planner)."""
    problem = prepare(_instance(raw))
    able = {cand.municipality for cand in problem.free if TeamPicker(cand).vectors}
    return {name: 1 for name in SMALL_COUNTIES if name in able}


def _add_pins(rng: np.random.Generator, raw: dict[str, Any]) -> None:
    """About 3% of applicants run an agreed engagement from week 0-3 with a team that keeps
    every rule; each is placed only if it fits with the pins before it."""
    instance = _instance(raw)
    problem = prepare(instance)
    taken: list[tuple[Company, Engagement]] = []
    per_track: dict[str, int] = {}
    quotas = raw["params"]["quotas"]
    for cand in problem.free:
        c = instance.companies[cand.company]
        if rng.random() >= PIN_SHARE or len(cand.mentors) < c.team_size:
            continue
        order = np.argsort(-cand.member, kind="stable")[: c.team_size + 2]
        picks = rng.choice(order, size=c.team_size, replace=False)
        team = [instance.mentors[int(cand.mentors[p])] for p in picks.tolist()]
        pin = Engagement(
            int(rng.integers(0, 4)) if c.earliest_week == 0 else c.earliest_week, tuple(m.id for m in team)
        )
        if pin.start_week + c.weeks > c.latest_end_week or team_problems(c, team, None):
            continue
        if per_track.get(c.track, 0) >= quotas[c.track] or capacity_problems(instance, [*taken, (c, pin)]):
            continue
        taken.append((c, pin))
        per_track[c.track] = per_track.get(c.track, 0) + 1
        raw["companies"][cand.company]["pinned"] = {
            "start_week": pin.start_week,
            "mentors": list(pin.mentors),
        }


def _instance(raw: dict[str, Any]) -> Instance:
    from .validation import parse_or_raise

    return parse_or_raise(raw)


def generate_plan_instance(
    companies: int, mentors: int, weeks: int, seed: int, scope: str = "province"
) -> dict[str, Any]:
    if companies < 0 or mentors < 0 or not 1 <= weeks <= 104:
        raise ValueError("companies and mentors must be >= 0 and weeks between 1 and 104")
    base = generate_instance(companies, mentors, seed, scope)
    rng = _seed(seed)
    c_extra = _company_fields(rng, companies, weeks)
    m_extra = _mentor_fields(rng, mentors, weeks)
    comps = [
        {k: c[k] for k in ("id", "lat", "lon", "industry", "municipality")} | extra | {"pinned": None}
        for c, extra in zip(base["companies"], c_extra, strict=True)
    ]
    ments = [
        {k: m[k] for k in ("id", "lat", "lon", "industries", "exclude")} | extra
        for m, extra in zip(base["mentors"], m_extra, strict=True)
    ]
    raw: dict[str, Any] = {
        "version": 1,
        "horizon_weeks": weeks,
        "mentors": ments,
        "companies": comps,
        "params": {
            "max_commute_km": COMMUTE_KM[scope],
            "quotas": _quotas(mentors, weeks, companies),
            "min_per_municipality": {},
        },
    }
    raw["params"]["min_per_municipality"] = _small_county_minimums(raw)
    _add_pins(rng, raw)
    return raw
