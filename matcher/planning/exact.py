"""Reduced-cost fixing: which starts and mentors a plan worth at least a target can use at all.

Column generation (colgen.py) ends with row prices pi (mentor-weeks, quotas, minimums) and the
Lagrangian bound L = sum_rows b * pi + sum_companies u_c, where u_c = max(0, best reduced value
of company c). For any plan x the identity

    value(x) = L - sum_{c selected} (u_c - reduced(c's column)) - sum_{c not selected} u_c
                 - sum_rows pi * (slack of the row under x)

holds, and every term subtracted is >= 0. So a plan worth at least `target` has
sum of gaps <= L - target =: G, and in particular:
- each of its columns has gap u_c - reduced <= G;
- a company with u_c > G is selected.
Each company's start week s is allowed only if some valid team at s has gap <= G; a candidate
mentor only if some team containing it, at some start, has gap <= G. These are exact
consequences (pricing computes best teams exactly, pricing.py), so the direct CP-SAT model
restricted to them, with `objective >= target`, holds every plan worth at least `target`:
if it has none, every plan is worth less (a proven bound `target - 1`); if it finds its
optimum, that is the optimum of the instance. The smaller G, the smaller the model.
"""

from dataclasses import dataclass

import numpy as np

from .colgen import Prices
from .pricing import Column, TeamPicker, blocked, window_sums
from .pruning import FloatArray, Problem

TOLERANCE = 1e-3  # gaps are float sums of prices; values are integers, so this only loosens
FORCED = 1e9  # added to one candidate's weight to force it into the best team


@dataclass(frozen=True, slots=True)
class Restriction:
    """What a plan worth at least some target may use (a superset of its columns)."""

    starts: dict[int, list[int]]  # free company -> allowed start weeks (absent: never selected)
    mentors: dict[int, list[int]]  # free company -> allowed mentor indices
    must: frozenset[int]  # free companies every such plan selects


@dataclass(frozen=True, slots=True)
class _Gaps:
    u: float
    start: FloatArray  # per start (index into cand.starts): the smallest gap of a team there
    mentor: FloatArray  # per candidate: the smallest gap of a column with it
    current: float  # gap of the company's current engagement (inf when none)


class Fixing:
    """Gaps of every free company's starts and candidates at one set of prices; `bound` is the
    Lagrangian bound L at these prices (of the free companies, stability included)."""

    def __init__(
        self, problem: Problem, pickers: list[TeamPicker], prices: Prices, currents: list[Column]
    ) -> None:
        self.problem = problem
        current = {col.free: col for col in currents}
        total = float((prices.capacity * problem.capacity).sum())
        total += sum(prices.quota[t] * problem.quota_left[t] for t in prices.quota)
        total += sum(prices.minimum[n] * problem.minimum_left[n] for n in prices.minimum)
        self.gaps: dict[int, _Gaps] = {}
        for f, cand in enumerate(problem.free):
            picker = pickers[f]
            row = prices.row_price(cand.track, cand.municipality)
            cur = current.get(f)
            cur_reduced = -np.inf
            if cur is not None:
                cost = sum(
                    float(prices.capacity[j, cur.start : cur.start + cand.weeks].sum()) for j in cur.team
                )
                cur_reduced = cur.value - cost - row
            if not picker.vectors or not len(cand.starts):
                u = max(0.0, cur_reduced)
                total += u
                if cur is not None:
                    none = np.full(len(cand.starts), np.inf)
                    self.gaps[f] = _Gaps(u, none, np.full(len(cand.mentors), np.inf), u - cur_reduced)
                continue
            weights = np.where(
                blocked(problem.capacity, cand),
                -np.inf,
                cand.member[None, :] - window_sums(prices.capacity, cand),
            )
            head = cand.base - cand.starts - row
            totals, _ = picker.best(weights)
            reduced = head + totals
            u = max(0.0, float(reduced.max()), cur_reduced)
            total += u
            per_mentor = np.full(len(cand.mentors), np.inf)
            for k in range(len(cand.mentors)):
                forced = weights.copy()
                forced[:, k] += FORCED
                with_k, _ = picker.best(forced)
                ok = with_k > FORCED / 2
                if ok.any():
                    per_mentor[k] = float((u - (head + with_k - FORCED))[ok].min())
            self.gaps[f] = _Gaps(u, u - reduced, per_mentor, u - cur_reduced)
        self.bound = total

    def restriction(self, target: int, currents: list[Column]) -> Restriction:
        """Starts, mentors and selections of every plan worth at least `target` (free part)."""
        budget = self.bound - target + TOLERANCE
        current = {col.free: col for col in currents}
        starts: dict[int, list[int]] = {}
        mentors: dict[int, list[int]] = {}
        must = set()
        for f, g in self.gaps.items():
            cand = self.problem.free[f]
            if g.u > budget:
                must.add(f)
            s = set(cand.starts[g.start <= budget].tolist())
            m = set(cand.mentors[g.mentor <= budget].tolist())
            cur = current.get(f)
            if cur is not None and g.current <= budget:
                s.add(cur.start)
                m.update(cur.team)
            if s and len(m) >= cand.team_size:
                starts[f], mentors[f] = sorted(s), sorted(m)
        return Restriction(starts, mentors, frozenset(must))
