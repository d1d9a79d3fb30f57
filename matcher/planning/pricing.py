"""The best team of a company for every start week, for any per-(start, mentor) weights.

Candidates are grouped by the requirement bits they cover (see pruning). A team is then a count
per group whose groups together cover every bit, and the best team for a count vector takes
each group's top members; so the exact best team per start is a max over a few count vectors of
sums of per-group prefix sums, vectorized over starts. Weights of -inf mark mentors that cannot
serve in that start's window.
"""

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .pruning import Candidates, FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class Column:
    """One way to serve a free company: start week and team (mentor indices, sorted)."""

    free: int  # index into Problem.free
    start: int
    team: tuple[int, ...]
    value: int


def count_vectors(masks: list[int], sizes: list[int], k: int, full: int) -> list[tuple[int, ...]]:
    """Every way to take k members from groups of these sizes whose masks cover `full`."""
    ranges = [range(min(size, k) + 1) for size in sizes]
    out = []
    for counts in itertools.product(*ranges):
        if sum(counts) != k:
            continue
        covered = 0
        for mask, n in zip(masks, counts, strict=True):
            covered |= mask if n else 0
        if covered == full:
            out.append(counts)
    return out


class TeamPicker:
    """Best team per start for one company."""

    def __init__(self, cand: Candidates):
        masks = sorted(set(cand.masks.tolist()))
        self.groups = [np.flatnonzero(cand.masks == g) for g in masks]
        self.k = cand.team_size
        self.vectors = count_vectors(masks, [len(g) for g in self.groups], self.k, cand.full)

    def best(self, weights: FloatArray) -> tuple[FloatArray, "Teams"]:
        """weights: (starts, candidates). Returns each start's best team weight (-inf when no
        valid team) and the means to read that team."""
        n_s = weights.shape[0]
        if not self.vectors:
            return np.full(n_s, -np.inf), Teams(self, [], np.zeros(n_s, dtype=np.int64))
        orders, prefixes = [], []
        for idx in self.groups:
            w = weights[:, idx]
            t = min(self.k, len(idx))
            order = np.argsort(-w, axis=1, kind="stable")[:, :t]
            top = np.take_along_axis(w, order, axis=1)
            prefixes.append(np.concatenate([np.zeros((n_s, 1)), np.cumsum(top, axis=1)], axis=1))
            orders.append(order)
        totals = np.empty((len(self.vectors), n_s))
        for v, counts in enumerate(self.vectors):
            totals[v] = sum((prefixes[g][:, n] for g, n in enumerate(counts) if n), np.zeros(n_s))
        choice = np.argmax(totals, axis=0)
        return totals[choice, np.arange(n_s)], Teams(self, orders, choice)


class Teams:
    """The best team at each start, read on demand (as candidate positions)."""

    def __init__(self, picker: TeamPicker, orders: list[IntArray], choice: IntArray):
        self.picker, self.orders, self.choice = picker, orders, choice

    def at(self, s: int) -> list[int]:
        counts = self.picker.vectors[int(self.choice[s])]
        team: list[int] = []
        for g, n in enumerate(counts):
            team += self.picker.groups[g][self.orders[g][s, :n]].tolist()
        return team


def window_sums(per_week: FloatArray, cand: Candidates) -> FloatArray:
    """(starts, candidates) sums of a (mentors, weeks) array over each start's weeks."""
    rows = per_week[cand.mentors]
    p = np.concatenate([np.zeros((rows.shape[0], 1)), np.cumsum(rows, axis=1)], axis=1)
    sums: FloatArray = (p[:, cand.starts + cand.weeks] - p[:, cand.starts]).T
    return sums


def blocked(capacity: IntArray, cand: Candidates) -> npt.NDArray[np.bool_]:
    """(starts, candidates): the mentor has no capacity left in some week of the window."""
    return window_sums((capacity <= 0).astype(np.float64), cand) > 0


def fragment_penalty(capacity: IntArray, cand: Candidates, shortest: int) -> FloatArray:
    """(starts, candidates): the free weeks a start would strand next to the window, on each
    side, when fewer than `shortest` (too few for any engagement left): the waste of best fit."""
    free = capacity[cand.mentors] > 0
    n_w = free.shape[1]
    idx = np.arange(n_w)
    last_blocked = np.maximum.accumulate(np.where(free, -1, idx), axis=1)
    run_to = idx - last_blocked  # free weeks ending at each week (inclusive)
    rev = free[:, ::-1]
    next_blocked = np.maximum.accumulate(np.where(rev, -1, idx), axis=1)
    run_from = (idx - next_blocked)[:, ::-1]  # free weeks starting at each week (inclusive)
    before = np.where(cand.starts > 0, run_to[:, np.maximum(cand.starts - 1, 0)], 0)
    ends = cand.starts + cand.weeks
    after = np.where(ends < n_w, run_from[:, np.minimum(ends, n_w - 1)], 0)
    waste = np.where((before > 0) & (before < shortest), before, 0) + np.where(
        (after > 0) & (after < shortest), after, 0
    )
    out: FloatArray = waste.T.astype(np.float64)
    return out
