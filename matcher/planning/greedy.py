"""Greedy plan: applicants by score (municipality minimums first), each given its best team and
earliest-best start among what is still free. The start of the search and the baseline."""

import numpy as np

from .pricing import Column, TeamPicker, blocked, fragment_penalty, window_sums
from .pruning import FloatArray, IntArray, Problem

SHORTEST = 6  # weeks: free runs shorter than this are stranded (engagements run 6-10 weeks)


def greedy_order(problem: Problem) -> list[int]:
    """Free companies (indices into problem.free): for each municipality short of its minimum,
    its best-scored companies first; then everyone by score."""
    by_score = sorted(range(len(problem.free)), key=lambda f: -problem.free[f].base)
    first: list[int] = []
    for name, need in problem.minimum_left.items():
        first += [f for f in by_score if problem.free[f].municipality == name][: 2 * need]
    return list(dict.fromkeys(first + by_score))


def best_column(
    problem: Problem,
    picker: TeamPicker,
    f: int,
    capacity: IntArray,
    prices: FloatArray | None = None,
    fragment: float = 0.0,
) -> Column | None:
    """The best column of free company f among mentor-weeks not blocked; with `prices` (LP prices
    of mentor-weeks) the best by value less the prices of the weeks it takes, and with
    `fragment` less that much per free week it strands (see `fragment_penalty`)."""
    cand = problem.free[f]
    if not picker.vectors or not len(cand.starts):
        return None
    cost = 0.0 if prices is None else window_sums(prices, cand)
    if fragment:
        cost = cost + fragment * fragment_penalty(capacity, cand, SHORTEST)
    weights = np.where(blocked(capacity, cand), -np.inf, cand.member[None, :] - cost)
    totals, teams = picker.best(weights)
    values = totals - cand.starts
    s = int(np.argmax(values))
    if not np.isfinite(values[s]):
        return None
    team = teams.at(s)
    start = int(cand.starts[s])
    value = cand.base - start + int(cand.member[team].sum())
    return Column(f, start, tuple(sorted(int(cand.mentors[t]) for t in team)), value)


def greedy(
    problem: Problem,
    pickers: list[TeamPicker],
    prices: FloatArray | None = None,
    order: list[int] | None = None,
    fragment: float = 0.0,
) -> list[Column]:
    """Companies in `order` (default `greedy_order`), each its best column in what is free."""
    capacity = problem.capacity.copy()
    quota = dict(problem.quota_left)
    need = dict(problem.minimum_left)
    chosen = []
    for f in greedy_order(problem) if order is None else order:
        cand = problem.free[f]
        if quota.get(cand.track, 1) <= 0:
            continue
        col = best_column(problem, pickers[f], f, capacity, prices, fragment)
        if col is None:
            continue
        chosen.append(col)
        capacity[list(col.team), col.start : col.start + cand.weeks] -= 1
        if cand.track in quota:
            quota[cand.track] -= 1
        if cand.municipality in need:
            need[cand.municipality] -= 1
    return chosen


def lp_rounding(
    problem: Problem, pickers: list[TeamPicker], columns: list[Column], x: FloatArray
) -> list[Column]:
    """Columns by LP value (largest first) while they fit; then the greedy's best for the rest."""
    capacity = problem.capacity.copy()
    quota = dict(problem.quota_left)
    chosen: dict[int, Column] = {}
    for i in np.argsort(-x, kind="stable").tolist():
        col = columns[i]
        cand = problem.free[col.free]
        weeks = capacity[list(col.team), col.start : col.start + cand.weeks]
        if x[i] < 1e-6 or col.free in chosen or quota.get(cand.track, 1) <= 0 or (weeks <= 0).any():
            continue
        chosen[col.free] = col
        weeks -= 1
        capacity[list(col.team), col.start : col.start + cand.weeks] = weeks
        if cand.track in quota:
            quota[cand.track] -= 1
    return list(chosen.values())
