"""Large-neighbourhood search: free the engagements around a few neighbouring mentors, keep the
rest of the plan fixed, and re-solve the freed part exactly with the direct CP-SAT model (hinted
with the current plan, so it never gets worse). For instances too large for one direct model.

A neighbourhood: a random mentor and its nearest mentors; the freed companies are the selected
ones whose team uses one of them and the best-scored unselected ones with a candidate among
them. The sub-problem is the instance with the fixed engagements' mentor-weeks taken and the
quotas and minimums they use counted; any of its plans joined with the fixed ones keeps every
rule."""

import random
import time
from dataclasses import replace

import numpy as np

from .direct import solve_direct
from .pricing import Column
from .pruning import Problem

SEED = 12
NEIGHBOUR_MENTORS = 6
MAX_FREED = 40  # companies per neighbourhood
MAX_STEP_S = 3.0  # CP-SAT seconds per neighbourhood


def mentor_neighbours(problem: Problem) -> list[list[int]]:
    """Per mentor, all mentors by distance (itself first)."""
    mentors = problem.instance.mentors
    lat = np.radians([m.lat for m in mentors])
    lon = np.radians([m.lon for m in mentors])
    h = (
        np.sin((lat[:, None] - lat[None, :]) / 2) ** 2
        + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin((lon[:, None] - lon[None, :]) / 2) ** 2
    )
    return [np.argsort(row, kind="stable").tolist() for row in h]


def sub_problem(problem: Problem, fixed: list[Column], freed: list[int]) -> Problem:
    capacity = problem.capacity.copy()
    quota = dict(problem.quota_left)
    minimum = dict(problem.minimum_left)
    for col in fixed:
        cand = problem.free[col.free]
        capacity[list(col.team), col.start : col.start + cand.weeks] -= 1
        if cand.track in quota:
            quota[cand.track] -= 1
        if cand.municipality in minimum:
            minimum[cand.municipality] = max(0, minimum[cand.municipality] - 1)
    return replace(
        problem,
        capacity=capacity,
        free=[problem.free[f] for f in freed],
        quota_left=quota,
        minimum_left=minimum,
    )


def improve(
    problem: Problem,
    plan: list[Column],
    currents: list[Column],
    stability: int,
    deadline: float,
    workers: int,
    goal: list[int] | None = None,
) -> tuple[list[Column], int]:
    """Neighbourhoods until the deadline; the best plan found and the number of steps. A target
    of `goal` left out seeds every other neighbourhood (its best candidate mentors, itself
    freed first), the best-valued first, each in turn."""
    rng = random.Random(SEED)
    near = mentor_neighbours(problem)
    n_m = len(near)
    by_score = sorted(range(len(problem.free)), key=lambda f: -problem.free[f].base)
    candidates_of = [set(c.mentors.tolist()) for c in problem.free]
    chosen = {col.free: col for col in plan}
    steps = 0
    while n_m and time.perf_counter() + 0.2 < deadline:
        steps += 1
        mentors = set(near[rng.randrange(n_m)][:NEIGHBOUR_MENTORS])
        freed = [f for f, col in chosen.items() if mentors & set(col.team)]
        room = MAX_FREED - len(freed)
        freed += [f for f in by_score if f not in chosen and candidates_of[f] & mentors and f not in freed][
            : max(0, room)
        ]
        if not freed:
            continue
        freed_set = set(freed)
        fixed = [col for f, col in chosen.items() if f not in freed_set]
        sub = sub_problem(problem, fixed, freed)
        local = {f: k for k, f in enumerate(freed)}
        hint = [replace(chosen[f], free=local[f]) for f in freed if f in chosen]
        old = sum(col.value for col in hint)
        subs = [replace(c, free=local[c.free]) for c in currents if c.free in freed_set]
        seconds = min(MAX_STEP_S, deadline - time.perf_counter())
        cut = sum(c.base + 1000 * c.team_size for c in sub.free) + stability * len(subs)
        res = solve_direct(sub, hint, subs, stability, cut, time.perf_counter() + seconds, workers)
        if res is None:
            continue
        new = sum(col.value for col in res.chosen)
        if new > old:
            for f in freed:
                chosen.pop(f, None)
            for col in res.chosen:
                chosen[freed[col.free]] = replace(col, free=freed[col.free])
    return list(chosen.values()), steps
