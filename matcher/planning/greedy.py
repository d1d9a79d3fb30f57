"""Greedy plan: applicants by score (municipality minimums first), each given its best team and
earliest-best start among what is still free. The start of the search and the baseline."""

import numpy as np

from .pricing import Column, TeamPicker, blocked
from .pruning import IntArray, Problem


def greedy_order(problem: Problem) -> list[int]:
    """Free companies (indices into problem.free): for each municipality short of its minimum,
    its best-scored companies first; then everyone by score."""
    by_score = sorted(range(len(problem.free)), key=lambda f: -problem.free[f].base)
    first: list[int] = []
    for name, need in problem.minimum_left.items():
        first += [f for f in by_score if problem.free[f].municipality == name][: 2 * need]
    return list(dict.fromkeys(first + by_score))


def best_column(problem: Problem, picker: TeamPicker, f: int, capacity: IntArray) -> Column | None:
    """The best column of free company f among mentor-weeks not blocked (plain values, no duals)."""
    cand = problem.free[f]
    if not picker.vectors or not len(cand.starts):
        return None
    weights = np.where(blocked(capacity, cand), -np.inf, cand.member[None, :].astype(np.float64))
    totals, teams = picker.best(weights)
    values = totals - cand.starts
    s = int(np.argmax(values))
    if not np.isfinite(values[s]):
        return None
    team = teams.at(s)
    start = int(cand.starts[s])
    value = cand.base - start + int(cand.member[team].sum())
    return Column(f, start, tuple(sorted(int(cand.mentors[t]) for t in team)), value)


def greedy(problem: Problem, pickers: list[TeamPicker]) -> list[Column]:
    capacity = problem.capacity.copy()
    quota = dict(problem.quota_left)
    need = dict(problem.minimum_left)
    chosen = []
    for f in greedy_order(problem):
        cand = problem.free[f]
        if quota.get(cand.track, 1) <= 0:
            continue
        col = best_column(problem, pickers[f], f, capacity)
        if col is None:
            continue
        chosen.append(col)
        capacity[list(col.team), col.start : col.start + cand.weeks] -= 1
        if cand.track in quota:
            quota[cand.track] -= 1
        if cand.municipality in need:
            need[cand.municipality] -= 1
    return chosen
