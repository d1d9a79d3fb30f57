"""The rules of a plan (planning contract, "Rules of a plan"), one function each.

Each team rule returns None when it holds, else a message in a coordinator's words. The solver
never builds a team that breaks one (pruning and pricing enforce them); these functions judge
pins, explain refusals and check plans independently (`check_plan`).
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from ..geo import distance_km
from .model import SCORE_WEIGHT, Company, Engagement, Instance, Mentor


def member_value(c: Company, m: Mentor) -> int:
    """member(c, m) = 10 * fit - floor(distance_km), exactly as the contract defines it."""
    return 10 * m.industries.get(c.industry, 0) - math.floor(distance_km(c.lat, c.lon, m.lat, m.lon))


def engagement_value(c: Company, team: Sequence[Mentor], start: int) -> int:
    return SCORE_WEIGHT * c.score + sum(member_value(c, m) for m in team) - start


def team_size_rule(c: Company, team: Sequence[Mentor]) -> str | None:
    if len(team) != c.team_size:
        return f"team of {len(team)} instead of {c.team_size}"
    return None


def distinct_members_rule(team: Sequence[Mentor]) -> str | None:
    repeated = sorted(mid for mid, n in Counter(m.id for m in team).items() if n > 1)
    return f"mentor {', '.join(repeated)} listed twice" if repeated else None


def exclusion_rule(c: Company, team: Sequence[Mentor]) -> str | None:
    excluding = [m.id for m in team if c.id in m.exclude]
    return f"excluded by {', '.join(excluding)} (conflict of interest)" if excluding else None


def commute_rule(c: Company, team: Sequence[Mentor], max_km: float) -> str | None:
    far = [m.id for m in team if distance_km(c.lat, c.lon, m.lat, m.lon) > max_km]
    return f"{', '.join(far)} farther than {max_km:g} km" if far else None


def industry_rule(c: Company, team: Sequence[Mentor]) -> str | None:
    if any(c.industry in m.industries for m in team):
        return None
    return f"no member of industry {c.industry}"


def skills_rule(c: Company, team: Sequence[Mentor]) -> str | None:
    held = set().union(*(m.skills for m in team)) if team else set()
    missing = [s for s in c.skills if s not in held]
    return f"skills not covered: {', '.join(missing)}" if missing else None


def window_rule(c: Company, start: int) -> str | None:
    if c.earliest_week <= start and start + c.weeks <= c.latest_end_week:
        return None
    return f"start week {start} outside its window (weeks {c.earliest_week}-{c.latest_end_week - 1})"


def team_problems(c: Company, team: Sequence[Mentor], max_km: float | None) -> list[str]:
    """Every rule 2 problem of a team for company c (and its size); commute skipped when
    `max_km` is None (pins)."""
    found = [
        team_size_rule(c, team),
        distinct_members_rule(team),
        exclusion_rule(c, team),
        None if max_km is None else commute_rule(c, team, max_km),
        industry_rule(c, team),
        skills_rule(c, team),
    ]
    return [p for p in found if p is not None]


def capacity_problems(
    instance: Instance, engagements: Iterable[tuple[Company, Engagement]]
) -> list[tuple[str, int, str]]:
    """Rule 3: (mentor id, week, message) for every week a mentor is unavailable or over its
    `max_concurrent`; ignores mentor ids that are not in the instance."""
    by_id = {m.id: m for m in instance.mentors}
    load: Counter[tuple[str, int]] = Counter()
    for c, e in engagements:
        for mid in set(e.mentors):
            for w in range(e.start_week, e.start_week + c.weeks):
                load[(mid, w)] += 1
    problems = []
    for (mid, w), n in sorted(load.items()):
        m = by_id.get(mid)
        if m is None:
            continue
        if w in m.unavailable_weeks:
            problems.append((mid, w, f"mentor {mid} is unavailable in week {w}"))
        elif n > m.max_concurrent:
            problems.append(
                (mid, w, f"mentor {mid} serves {n} engagements in week {w} (most {m.max_concurrent})")
            )
    return problems


def quota_problems(instance: Instance, selected: Iterable[Company]) -> list[str]:
    """Rule 4, quotas: tracks with more selected companies than their quota."""
    count = Counter(c.track for c in selected)
    return [
        f"quota {track}: {count[track]} selected, at most {q}"
        for track, q in sorted(instance.params.quotas.items())
        if count[track] > q
    ]


def minimum_problems(instance: Instance, selected: Iterable[Company]) -> list[str]:
    """Rule 4, municipality minimums: municipalities with fewer selected companies than required."""
    count = Counter(c.municipality for c in selected)
    return [
        f"municipality {name}: {count[name]} selected, at least {n}"
        for name, n in sorted(instance.params.min_per_municipality.items())
        if count[name] < n
    ]


def check_plan(instance: Instance, engagements: list[dict[str, object]]) -> list[str]:
    """Every broken rule of a result's engagements (contract form), as lines; [] when the plan is
    valid. Values are checked too: each engagement's `value` must be its exact contract value."""
    companies = {c.id: c for c in instance.companies}
    mentors = {m.id: m for m in instance.mentors}
    problems: list[str] = []
    chosen: list[tuple[Company, Engagement]] = []
    for e in engagements:
        c = companies[str(e["company"])]
        start = e["start_week"]
        assert isinstance(start, int)
        team_ids = tuple(str(mid) for mid in e["mentors"])  # type: ignore[attr-defined]
        team = [mentors[mid] for mid in team_ids]
        pin = c.pinned
        if pin is not None and (pin.start_week, sorted(pin.mentors)) != (start, sorted(team_ids)):
            problems.append(f"{c.id}: pin not kept")
        limit = None if pin is not None else instance.params.max_commute_km
        problems += [f"{c.id}: {p}" for p in team_problems(c, team, limit)]
        window = window_rule(c, start)
        if window:
            problems.append(f"{c.id}: {window}")
        if e.get("end_week") != start + c.weeks:
            problems.append(f"{c.id}: end_week is not start_week + weeks")
        if e.get("value") != engagement_value(c, team, start):
            problems.append(f"{c.id}: value {e.get('value')} is not {engagement_value(c, team, start)}")
        chosen.append((c, Engagement(start, team_ids)))
    if len({c.id for c, _ in chosen}) < len(chosen):
        problems.append("a company has more than one engagement")
    problems += [p for _, _, p in capacity_problems(instance, chosen)]
    selected = [c for c, _ in chosen]
    problems += quota_problems(instance, selected) + minimum_problems(instance, selected)
    selected_ids = {c.id for c in selected}
    missing = [c.id for c in instance.companies if c.pinned is not None and c.id not in selected_ids]
    problems += [f"{cid}: pinned but not selected" for cid in missing]
    return problems
