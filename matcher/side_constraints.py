"""params.max_municipalities_per_mentor: a mentor's companies span at most k municipalities.

The rule couples a mentor's choices, so it is no longer a flow. Approach:
1. start from the flow optimum (the caller's; it is also the proven upper bound);
2. repair: give every mentor a set of at most k allowed municipalities -- the ones where it
   already earns most, pins first -- and re-solve the flow restricted to those sets (exact for
   the sets, so the repaired answer keeps every other rule and stays optimal "given the sets");
3. improve by large-neighbourhood search: free a few nearby mentors (same industry, closest
   first) with their companies and the unassigned companies they could take, and solve that
   small problem exactly with CP-SAT (current answer as hint); keep it when it scores better;
4. polish: re-solve the flow on the municipality sets of the improved answer.
Companies without a municipality do not count toward the limit. Municipality names are compared
after trimming and case-folding.
"""

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

import numpy as np

from . import flow
from .arrays import BoolArray, FloatArray, Indices, IntArray, IntegerArray

if TYPE_CHECKING:
    from ortools.sat.python.cp_model import IntVar


class SearchStats(TypedDict):
    neighbourhoods: int
    improved: int
    converged: bool


@dataclass
class Problem:
    """Everything the search needs, as arrays: scores of usable pairs of free companies, capacity
    left after pins, min-load slots, the municipality of each company (-1: none)."""

    blocks: list[flow.ScoreBlock]  # pinned companies' rows are 0
    n_companies: int
    cap: IntegerArray
    slots: IntegerArray | None
    bonus: int
    muni: IntArray
    n_munis: int
    pinned: IntArray
    k: int
    mentor_lat: FloatArray
    mentor_lon: FloatArray
    mentor_industries: list[frozenset[str]]

    def pinned_munis(self) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        for j, g in zip(self.pinned.tolist(), self.muni.tolist(), strict=True):
            if j >= 0 and g >= 0:
                out.setdefault(j, set()).add(g)
        return out


def municipality_ids(names: list[str | None]) -> tuple[IntArray, int]:
    keys = [n.strip().casefold() if n and n.strip() else None for n in names]
    index = {key: i for i, key in enumerate(sorted({k for k in keys if k is not None}))}
    return np.array([index[k] if k is not None else -1 for k in keys], dtype=np.int64), len(index)


def spans(mentor_of: IntArray, muni: IntArray, n_mentors: int) -> Indices:
    """Number of distinct municipalities per mentor."""
    ok = (mentor_of >= 0) & (muni >= 0)
    pairs = np.unique(mentor_of[ok] * (muni.max(initial=0) + 1) + muni[ok])
    return np.bincount(pairs // (muni.max(initial=0) + 1), minlength=n_mentors)


def pinned_conflicts(p: Problem) -> list[int]:
    """Mentors whose pins alone already span more than k municipalities."""
    return [j for j, g in sorted(p.pinned_munis().items()) if len(g) > p.k]


def _restricted_flow(p: Problem, allowed: BoolArray) -> IntArray:
    """Exact optimum when mentor m may serve only municipalities with allowed[m, g] (and companies
    without municipality); the last column of `allowed` stands for 'no municipality'."""
    blocks = []
    for b in p.blocks:
        ok = allowed[b.cols][:, p.muni[b.rows]].T
        blocks.append(flow.ScoreBlock(b.rows, b.cols, b.score * ok, b.weight))
    return flow.optimize(blocks, p.n_companies, p.cap, p.slots, p.bonus).mentor_of


def _sets_from(p: Problem, mentor_of: IntArray, mass: FloatArray | None) -> BoolArray:
    """Allowed municipality sets: pinned ones, then those where the mentor earns most in
    `mentor_of`, then (to fill up to k) those with most candidate score `mass`."""
    n_m = len(p.cap)
    earned = np.zeros((n_m, p.n_munis + 1))
    has = (mentor_of >= 0) & (p.muni >= 0)
    np.add.at(earned, (mentor_of[has], p.muni[has]), _assigned_scores(p, mentor_of)[has])
    rank = earned * 1e6 + (mass if mass is not None else 0)
    pin = (p.pinned >= 0) & (p.muni >= 0)
    rank[p.pinned[pin], p.muni[pin]] = np.inf
    rank[:, -1] = -np.inf
    top = np.argsort(-rank, axis=1, kind="stable")[:, : p.k]
    allowed = np.zeros((n_m, p.n_munis + 1), dtype=bool)
    np.put_along_axis(allowed, top, np.take_along_axis(rank, top, axis=1) > 0, axis=1)
    allowed[:, -1] = True
    return allowed


def _assigned_scores(p: Problem, mentor_of: IntArray) -> FloatArray:
    out = np.zeros(p.n_companies, dtype=np.float64)
    for b in p.blocks:
        mo = mentor_of[b.rows]
        j = np.searchsorted(b.cols, mo)
        ok = (mo >= 0) & (j < len(b.cols))
        ok[ok] &= b.cols[j[ok]] == mo[ok]
        out[b.rows[ok]] = b.score[np.flatnonzero(ok), j[ok]]
    return out


def _candidate_mass(p: Problem) -> FloatArray:
    mass = np.zeros((len(p.cap), p.n_munis + 1))
    for b in p.blocks:
        g = p.muni[b.rows]
        ok = g >= 0
        if ok.any():
            part = np.zeros((len(b.cols), p.n_munis + 1))
            np.add.at(part.T, g[ok], b.score[ok].astype(np.float64))
            mass[b.cols] += part
    return mass


class _PairIndex:
    """Usable pairs (free companies only) sorted by mentor, for building neighbourhoods."""

    def __init__(self, p: Problem):
        cs: list[Indices] = []
        ms: list[Indices] = []
        ss: list[IntArray] = []
        for b in p.blocks:
            r, j = np.nonzero(b.score > 0)
            cs.append(b.rows[r])
            ms.append(b.cols[j])
            ss.append(b.score[r, j].astype(np.int64))
        c, m, s = (np.concatenate(x) if x else np.zeros(0, dtype=np.int64) for x in (cs, ms, ss))
        order = np.argsort(m, kind="stable")
        self.c, self.m, self.s = c[order], m[order], s[order]
        self.start = np.searchsorted(self.m, np.arange(len(p.cap) + 1))

    def of(self, mentors: Indices) -> tuple[Indices, Indices, IntArray]:
        idx = np.concatenate([np.arange(self.start[j], self.start[j + 1]) for j in mentors])
        return self.c[idx], self.m[idx], self.s[idx]


def _neighbourhood(p: Problem, seed: int, size: int) -> Indices:
    """The seed mentor and its nearest mentors sharing an industry with it."""
    d: FloatArray = (p.mentor_lat - p.mentor_lat[seed]) ** 2 + (
        (p.mentor_lon - p.mentor_lon[seed]) * np.cos(np.radians(p.mentor_lat[seed]))
    ) ** 2
    shares = np.array([bool(p.mentor_industries[seed] & ind) for ind in p.mentor_industries])
    d[~shares | (p.cap <= 0)] = np.inf
    d[seed] = -1
    near = np.argsort(d, kind="stable")[:size]
    return near[np.isfinite(d[near])]


def _improve(
    p: Problem,
    index: _PairIndex,
    pin_munis: dict[int, set[int]],
    mentor_of: IntArray,
    group: Indices,
    time_limit: float,
    workers: int,
) -> bool:
    """Re-solve the neighbourhood `group` exactly with CP-SAT; apply and return True if better."""
    from ortools.sat.python import cp_model

    c, m, s = index.of(group)
    free = (mentor_of[c] < 0) | np.isin(mentor_of[c], group)
    c, m, s = c[free], m[free], s[free]
    if not len(c):
        return False
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(len(c))]
    by_company: dict[int, list[IntVar]] = {}
    by_mentor: dict[int, list[IntVar]] = {}
    by_muni: dict[tuple[int, int], list[IntVar]] = {}
    for v, ci, mi in zip(x, c.tolist(), m.tolist(), strict=True):
        by_company.setdefault(ci, []).append(v)
        by_mentor.setdefault(mi, []).append(v)
        g = int(p.muni[ci])
        if g >= 0:
            by_muni.setdefault((mi, g), []).append(v)
    for vs in by_company.values():
        model.add_at_most_one(vs)
    objective = [si * v for si, v in zip(s.tolist(), x, strict=True)]
    for mi, vs in by_mentor.items():
        model.add(sum(vs) <= int(p.cap[mi]))
        if p.slots is not None and p.slots[mi] > 0:
            filled = model.new_int_var(0, int(p.slots[mi]), "")
            model.add(filled <= sum(vs))
            objective.append(p.bonus * filled)
    used: dict[int, list[IntVar]] = {}
    for (mi, g), vs in by_muni.items():
        if g in pin_munis.get(mi, ()):
            continue
        y = model.new_bool_var("")
        for v in vs:
            model.add_implication(v, y)
        used.setdefault(mi, []).append(y)
    for mi, ys in used.items():
        model.add(sum(ys) <= p.k - len(pin_munis.get(mi, ())))
    model.maximize(sum(objective))
    current = mentor_of[c] == m
    for v, hint in zip(x, current.tolist(), strict=True):
        model.add_hint(v, hint)
    before = int(s[current].sum()) + _slot_bonus(p, mentor_of, group)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit, 0.01)
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.objective_value <= before + 0.5:
        return False
    chosen = np.array([solver.boolean_value(v) for v in x], dtype=bool)
    mentor_of[c] = -1
    mentor_of[c[chosen]] = m[chosen]
    return True


def _slot_bonus(p: Problem, mentor_of: IntArray, group: Indices) -> int:
    if p.slots is None:
        return 0
    load = np.bincount(mentor_of[mentor_of >= 0], minlength=len(p.cap))
    return int(p.bonus * np.minimum(load[group], p.slots[group]).sum())


def enforce(
    p: Problem, flow_answer: IntArray, deadline: float, workers: int, group_size: int = 6
) -> tuple[IntArray, SearchStats]:
    """Repair the flow optimum `flow_answer` (mentor per free company) so that no mentor spans
    more than p.k municipalities, then improve it. Returns (mentor per free company, stats).
    Stops at `deadline` or when a full sweep over all mentors finds no improvement."""
    mass = _candidate_mass(p)
    mentor_of = _restricted_flow(p, _sets_from(p, flow_answer, mass))
    index, pin_munis = _PairIndex(p), p.pinned_munis()
    rng = np.random.default_rng(0)
    neighbourhoods = improved = 0
    order = rng.permutation(np.flatnonzero(p.cap > 0))
    stale = 0
    while len(order) and time.perf_counter() < deadline and stale < len(order):
        seed = order[neighbourhoods % len(order)]
        group = _neighbourhood(p, seed, group_size)
        left = deadline - time.perf_counter()
        if _improve(p, index, pin_munis, mentor_of, group, min(1.0, left), workers):
            improved += 1
            stale = 0
        else:
            stale += 1
        neighbourhoods += 1
    mentor_of = _restricted_flow(p, _sets_from(p, mentor_of, mass))
    return mentor_of, {
        "neighbourhoods": neighbourhoods,
        "improved": improved,
        "converged": bool(stale >= len(order)),
    }
