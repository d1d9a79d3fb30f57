"""Plans that serve the best applicants: a price-directed squeaky-wheel greedy, then 1-opt.

The quota bound (bounds.py) says which applicants a plan would ideally serve: per track, the
best up to the quota ("targets"). The greedy serves the targets first, each taking its best
column less the mentor-weeks' congestion prices (how much the targets want each mentor-week,
per unit of capacity). After each pass the targets left out raise the prices of the
mentor-weeks they could have used and move ahead in the order by a random amount, so the next
pass packs around them. Once every target is served, the score part of the plan is optimal and
1-opt (each company re-takes its best column with the others fixed) tunes the teams and starts.
"""

import random
import time
from collections.abc import Callable

import numpy as np

from .greedy import best_column, greedy
from .pricing import Column, TeamPicker
from .pruning import FloatArray, Problem

INITIAL_PRICE = 300.0  # value units per unit of congestion (a score point is 100000)
PRICE_STEP = 300.0
BUMP = 1.0  # a left-out target moves ahead by up to this share of the order
FRAGMENT = 1000.0  # value units per stranded mentor-week (best fit)
SEED = 12


def targets(problem: Problem, best: list[Column | None]) -> list[int]:
    """Per track, the companies of the largest best values up to the quota (all when no quota);
    then, for a municipality short of its minimum, its best companies in place of the track's
    lowest targets."""
    by_track: dict[str, list[int]] = {}
    for f, col in enumerate(best):
        if col is not None:
            by_track.setdefault(problem.free[f].track, []).append(f)
    value = {f: col.value for f, col in enumerate(best) if col is not None}
    chosen: dict[str, list[int]] = {}
    for track, fs in by_track.items():
        fs.sort(key=lambda f: (-value[f], f))
        chosen[track] = fs[: problem.quota_left[track]] if track in problem.quota_left else fs
    pinned_places: set[str] = set()
    for name, need in sorted(problem.minimum_left.items()):
        goal = {f for fs in chosen.values() for f in fs}
        mine = sorted(
            (f for f in value if problem.free[f].municipality == name), key=lambda f: (-value[f], f)
        )
        missing = need - sum(1 for f in mine if f in goal)
        pinned_places.add(name)
        for f in [f for f in mine if f not in goal][: max(0, missing)]:
            track = problem.free[f].track
            fs = chosen[track]
            if track in problem.quota_left and len(fs) >= problem.quota_left[track]:
                drop = [g for g in fs if problem.free[g].municipality not in pinned_places]
                if not drop:
                    continue
                fs.remove(drop[-1])
            fs.append(f)
    return sorted(f for fs in chosen.values() for f in fs)


def demand(problem: Problem, companies: list[int]) -> FloatArray:
    """(mentors, weeks): how much these companies want each mentor-week, per unit of capacity
    (team size x weeks spread evenly over candidates and window)."""
    d = np.zeros(problem.capacity.shape)
    for f in companies:
        c = problem.free[f]
        if not len(c.starts) or not len(c.mentors):
            continue
        first, end = int(c.starts[0]), int(c.starts[-1]) + c.weeks
        d[c.mentors, first:end] += c.team_size * c.weeks / (len(c.mentors) * (end - first))
    out: FloatArray = d / np.maximum(problem.capacity, 1)
    return out


def price_search(
    problem: Problem,
    pickers: list[TeamPicker],
    goal: list[int],
    deadline: float,
    offer: Callable[[list[Column]], None],
    fill: Callable[[list[Column]], list[Column]],
) -> list[Column] | None:
    """Passes until every target is served or the deadline; each filled plan goes to `offer`.
    Returns the last plan that serves every target, if one was found."""
    rng = random.Random(SEED)
    goal_set = set(goal)
    by_score = sorted(range(len(problem.free)), key=lambda f: -problem.free[f].base)
    short = {name for name, need in problem.minimum_left.items() if need > 0}
    minimum_first = [f for f in by_score if f in goal_set and problem.free[f].municipality in short]
    order = list(dict.fromkeys(minimum_first + [f for f in by_score if f in goal_set]))
    prices = INITIAL_PRICE * demand(problem, goal)
    while True:
        plan = fill(greedy(problem, pickers, prices, order, FRAGMENT))
        offer(plan)
        served = {col.free for col in plan}
        lost = [f for f in goal if f not in served]
        if not lost:
            return plan
        if time.perf_counter() >= deadline:
            return None
        prices += PRICE_STEP * demand(problem, lost)
        pos = {f: i for i, f in enumerate(order)}
        lost_set = set(lost)
        bump = max(1, int(BUMP * len(order)))
        key = {f: pos[f] - (rng.randint(1, bump) if f in lost_set else 0) for f in order}
        order.sort(key=lambda f: (key[f], pos[f]))


def one_opt(problem: Problem, pickers: list[TeamPicker], plan: list[Column], deadline: float) -> list[Column]:
    """Each selected company in turn re-takes its best column with the others fixed, until no
    change improves the plan or the deadline."""
    chosen = {col.free: col for col in plan}
    capacity = problem.capacity.copy()
    for col in plan:
        capacity[list(col.team), col.start : col.start + problem.free[col.free].weeks] -= 1
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for f in sorted(chosen):
            col = chosen[f]
            weeks = problem.free[f].weeks
            capacity[list(col.team), col.start : col.start + weeks] += 1
            found = best_column(problem, pickers[f], f, capacity)
            if found is not None and found.value > col.value:
                chosen[f], col, improved = found, found, True
            capacity[list(col.team), col.start : col.start + weeks] -= 1
    return list(chosen.values())
