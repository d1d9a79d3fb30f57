"""Reasons in the contract's words: why each engagement has its team, why an applicant is not
served (no valid team and which rule fails, its track's quota, or mentors busy in every window)."""

import math

from .model import Company, Instance, Mentor
from .pruning import Candidates, Problem


def engagement_reasons(
    c: Company, team: list[Mentor], km: list[float], pinned: bool, kept: bool
) -> list[str]:
    reasons = []
    if pinned:
        reasons.append("pinned (running or agreed engagement)")
    elif kept:
        reasons.append("kept as planned")
    fit, lead = max(((m.industries.get(c.industry, 0), -k), m.id) for m, k in zip(team, km, strict=True))
    if fit[0]:
        reasons.append(f"lead {lead}: same industry {c.industry} (fit {fit[0]})")
    else:
        reasons.append(f"no member of industry {c.industry} (pinned team)")
    if c.skills:
        reasons.append(f"covers {', '.join(c.skills)}")
    near, far = math.floor(min(km)), math.floor(max(km))
    who = "team lives" if len(team) > 1 else "lives"
    reasons.append(f"{who} {near} km away" if near == far else f"{who} {near}-{far} km away")
    return reasons


def no_team_reason(instance: Instance, problem: Problem, cand: Candidates) -> str | None:
    """Which rule leaves company c without any valid team, or None when one exists."""
    c = instance.companies[cand.company]
    limit = f"{instance.params.max_commute_km:g} km"
    k = c.team_size
    need = f"a team of {k}" if k > 1 else "a mentor"
    near = [
        j
        for j, m in enumerate(instance.mentors)
        if problem.distance[cand.company, j] <= instance.params.max_commute_km and m.max_concurrent > 0
    ]
    if len(near) < k:
        return f"no valid team: {len(near)} mentor(s) within {limit}, {need} is needed"
    if len(cand.mentors) < k:
        return f"no valid team: excluded by mentors within {limit} (conflict of interest), {need} is needed"
    if not cand.masks.any() or not (cand.masks & 1).any():
        return f"no valid team: no mentor of industry {c.industry} within {limit}"
    for i, skill in enumerate(c.skills):
        if not (cand.masks & (1 << (1 + i))).any():
            return f"no valid team: no mentor within {limit} holds skill {skill}"
    if not cand.coverable() or not len(cand.starts):
        return f"no valid team: no {need} within {limit} covers industry {c.industry} and its skills together"
    return None


def unselected_reason(
    instance: Instance,
    problem: Problem,
    cand: Candidates,
    selected: list[Company],
    has_room: bool,
    infeasible: str | None = None,
) -> str:
    """`has_room`: some valid team is free in some window of the final plan. `infeasible`: why
    no plan meets the municipality minimums, when none does (then only the pins are served)."""
    no_team = no_team_reason(instance, problem, cand)
    if no_team is not None:
        return no_team
    if infeasible is not None:
        return f"no plan meets the municipality minimums ({infeasible})"
    c = instance.companies[cand.company]
    quota = instance.params.quotas.get(c.track)
    same_track = [s for s in selected if s.track == c.track]
    if quota is not None and len(same_track) >= quota:
        if all(s.score >= c.score for s in same_track):
            return f"quota {c.track} reached by higher-scored applicants"
        return f"quota {c.track} reached (the lower-scored applicants selected fit the mentors' free weeks)"
    if has_room:
        return "not selected within the time limit (a valid team is free; a longer search may serve it)"
    return (
        f"qualified mentors busy in every possible window (weeks {c.earliest_week}-{c.latest_end_week - 1})"
    )
