"""Solve an instance: pairs -> optimization -> side rules -> explained result (contract form)."""

import time
from typing import Any, TypedDict

import numpy as np

from . import explain, flow, geo, pairs, side_constraints
from .arrays import Indices, IntArray, IntegerArray
from .domain import Instance

DEFAULT_SIDE_TIME_LIMIT_S = 10.0

Stats = dict[str, object]  # the result's "stats" (JSON values)


class Assignment(TypedDict):
    company: str
    mentor: str
    distance_km: float
    fit: int
    value: int
    reasons: list[str]


class Unassigned(TypedDict):
    company: str
    reason: str


def _score_blocks(
    model: pairs.PairModel, instance: Instance, mentor_index: dict[str, int], stability: int
) -> list[flow.ScoreBlock]:
    """Scores the optimizer maximizes: the contract value, 0 for pinned companies (they are fixed
    beforehand), plus `stability` on each company's current pair."""
    free = model.pinned < 0

    # a block without pinned companies shares the model's array unless it changes
    def score(b: pairs.Block) -> IntegerArray:
        if free[b.rows].all():
            return b.value.copy() if stability else b.value
        return b.value * free[b.rows][:, None].astype(np.int32)

    blocks = [flow.ScoreBlock(b.rows, b.cols, score(b), model.priority[b.rows]) for b in model.blocks]
    if stability:
        for i, c in enumerate(instance.companies):
            j = -1 if c.current_mentor is None else mentor_index.get(c.current_mentor, -1)
            if j >= 0 and free[i] and model.block_value(i, j) > 0:
                b = blocks[model.block_of[i]]
                b.score[model.row_of[i], np.searchsorted(b.cols, j)] += stability
    return blocks


def _min_load_slots(
    instance: Instance, cap: IntArray, pin_load: Indices, blocks: list[flow.ScoreBlock]
) -> tuple[Indices | None, int]:
    """Slots a mentor still has to fill to reach params.min_load (mentors whose capacity is below
    min_load are exempt), and a bonus per filled slot larger than any total score."""
    k = instance.params.min_load
    if not k:
        return None, 0
    slots = np.where(cap >= k, np.maximum(k - pin_load, 0), 0)
    bonus = 1 + sum(int(b.score.max(axis=1).sum()) for b in blocks if b.score.size)
    return slots, bonus


class Solution:
    """Mentor per company plus what the result needs to say about how it was found."""

    def __init__(
        self,
        mentor_of: IntArray,
        status: str,
        bound: int | None,
        method: str,
        extra_stats: Stats,
        note: str | None = None,
    ):
        self.mentor_of, self.status, self.bound = mentor_of, status, bound
        self.method, self.extra_stats, self.note = method, extra_stats, note


def _optimize(
    instance: Instance, model: pairs.PairModel, time_limit: float | None, workers: int | None, start: float
) -> Solution:
    params, mentors = instance.params, instance.mentors
    mentor_index = {m.id: j for j, m in enumerate(mentors)}
    n = len(instance.companies)
    cap = np.array([m.capacity for m in mentors], dtype=np.int64)
    pinned = model.pinned
    pin_load = np.bincount(pinned[pinned >= 0], minlength=len(mentors))
    blocks = _score_blocks(model, instance, mentor_index, params.stability or 0)
    slots, bonus = _min_load_slots(instance, cap, pin_load, blocks)
    res = flow.optimize(blocks, n, cap - pin_load, slots, bonus)
    mentor_of = np.where(pinned >= 0, pinned, res.mentor_of)
    method = (
        f"min-cost flow (OR-Tools SimpleMinCostFlow), certified pruning: {res.rounds} "
        f"round(s), {res.pairs_used} of {model.allowed_pairs} pairs"
    )
    stats: Stats = {"flow_rounds": res.rounds, "flow_pairs": res.pairs_used}
    if slots is not None:
        stats["min_load_shortfall"] = int(slots.sum() - res.slots_filled)
    exact = not params.stability and slots is None
    pinned_value = _pinned_value(model, instance)
    if params.max_municipalities_per_mentor:
        muni, n_munis = side_constraints.municipality_ids([c.municipality for c in instance.companies])
        if (
            side_constraints.spans(mentor_of, muni, len(mentors)) > params.max_municipalities_per_mentor
        ).any():
            p = side_constraints.Problem(
                blocks,
                n,
                cap - pin_load,
                slots,
                bonus,
                muni,
                n_munis,
                pinned,
                params.max_municipalities_per_mentor,
                np.array([m.lat for m in mentors]),
                np.array([m.lon for m in mentors]),
                [frozenset(m.industries) for m in mentors],
            )
            if exact:
                bound = _dual_bound(res) + pinned_value
            else:
                plain = _score_blocks(model, instance, mentor_index, 0)
                bound = _dual_bound(flow.optimize(plain, n, cap - pin_load)) + pinned_value
            return _max_municipalities(
                instance, model, p, res.mentor_of, bound, exact, time_limit, workers, start, method, stats
            )
    return Solution(mentor_of, "OPTIMAL", _dual_bound(res) + pinned_value if exact else None, method, stats)


def _dual_bound(res: flow.FlowResult) -> int:
    """The flow's proven bound: `flow.optimize` computes one whenever it gets no min-load slots."""
    assert res.dual_bound is not None
    return res.dual_bound


def _max_municipalities(
    instance: Instance,
    model: pairs.PairModel,
    p: side_constraints.Problem,
    flow_answer: IntArray,
    bound: int,
    exact: bool,
    time_limit: float | None,
    workers: int | None,
    start: float,
    method: str,
    stats: Stats,
) -> Solution:
    k = p.k
    conflicts = side_constraints.pinned_conflicts(p)
    if conflicts:
        lines = [
            f'mentor "{instance.mentors[j].id}" is pinned to companies in more than {k} '
            f"municipalities (max_municipalities_per_mentor = {k})"
            for j in conflicts
        ]
        return Solution(
            np.full(p.n_companies, -1),
            "INFEASIBLE",
            0,
            method,
            {**stats, "infeasible": lines},
            note="no assignment satisfies the side rules: " + "; ".join(lines),
        )
    deadline = start + (time_limit or DEFAULT_SIDE_TIME_LIMIT_S)
    free_of, search = side_constraints.enforce(p, flow_answer, deadline, workers or 1)
    mentor_of = np.where(p.pinned >= 0, p.pinned, free_of)
    objective = _contract_value(model, instance, mentor_of)
    status = "OPTIMAL" if exact and objective == bound else "FEASIBLE"
    method += (
        f"; max_municipalities_per_mentor: repair + CP-SAT neighbourhood search "
        f"({search['neighbourhoods']} neighbourhoods, {search['improved']} improved)"
    )
    gap = (bound - objective) / bound if bound > 0 else 0.0
    stats = {**stats, **search, "gap_to_bound": round(gap, 6)}
    if p.slots is not None:
        load = np.bincount(free_of[free_of >= 0], minlength=len(p.cap))
        stats["min_load_shortfall"] = int(p.slots.sum() - np.minimum(load, p.slots).sum())
    return Solution(mentor_of, status, bound, method, stats)


def _contract_value(model: pairs.PairModel, instance: Instance, mentor_of: IntArray) -> int:
    idx = np.flatnonzero(mentor_of >= 0)
    if not len(idx):
        return 0
    return int(model.pair_values(idx, mentor_of[idx], _fits(instance, idx, mentor_of[idx]))[1].sum())


def _pinned_value(model: pairs.PairModel, instance: Instance) -> int:
    return _contract_value(model, instance, model.pinned)


def _fits(instance: Instance, c_idx: Indices, m_idx: Indices) -> IntArray:
    comps, ments = instance.companies, instance.mentors
    return np.array(
        [ments[j].industries[comps[i].industry] for i, j in zip(c_idx.tolist(), m_idx.tolist(), strict=True)],
        dtype=np.int64,
    )


def _nearest_qualified_km(instance: Instance, i: int) -> float | None:
    c = instance.companies[i]
    d = [geo.distance_km(c.lat, c.lon, m.lat, m.lon) for m in instance.mentors if c.industry in m.industries]
    return min(d) if d else None


def _free_mentors(model: pairs.PairModel, i: int, load: Indices, cap: IntArray) -> int:
    if model.block_of[i] < 0:
        return 0
    b = model.blocks[model.block_of[i]]
    ok = b.value[model.row_of[i]] > 0
    return int(np.count_nonzero(ok & (load[b.cols] < cap[b.cols])))


def _result(instance: Instance, model: pairs.PairModel, sol: Solution, start: float) -> dict[str, Any]:
    comps, ments, params = instance.companies, instance.mentors, instance.params
    mentor_of = sol.mentor_of
    idx = np.flatnonzero(mentor_of >= 0)
    fit = _fits(instance, idx, mentor_of[idx])
    dist, value = model.pair_values(idx, mentor_of[idx], fit)
    objective = int(value.sum())
    by_company: dict[int, Assignment] = {}
    for i, j, f, d, v in zip(
        idx.tolist(), mentor_of[idx].tolist(), fit.tolist(), dist.tolist(), value.tolist(), strict=True
    ):
        c = comps[i]
        by_company[i] = {
            "company": c.id,
            "mentor": ments[j].id,
            "distance_km": round(d, 2),
            "fit": f,
            "value": v,
            "reasons": explain.assignment_reasons(c, ments[j].id, f, d, params),
        }
    cap = np.array([m.capacity for m in ments], dtype=np.int64)
    load = np.bincount(mentor_of[idx], minlength=len(ments))
    unassigned: list[Unassigned] = []
    for i, c in enumerate(comps):
        if i in by_company:
            continue
        if sol.note:
            unassigned.append({"company": c.id, "reason": sol.note})
            continue
        nearest = _nearest_qualified_km(instance, i) if model.n_in_range[i] == 0 else None
        reason = explain.unassigned_reason(
            c,
            params,
            int(model.n_qualified[i]),
            int(model.n_in_range[i]),
            int(model.n_excluded[i]),
            nearest,
            _free_mentors(model, i, load, cap),
        )
        unassigned.append({"company": c.id, "reason": reason})
    bound = objective if sol.bound is None else sol.bound
    stats: Stats = {
        "wall_s": round(time.perf_counter() - start, 3),
        "allowed_pairs": model.allowed_pairs,
        "method": sol.method,
        **sol.extra_stats,
    }
    return {
        "version": 1,
        "status": sol.status,
        "objective": objective,
        "bound": bound,
        "assignments": [by_company[i] for i in sorted(by_company)],
        "unassigned": unassigned,
        "stats": stats,
    }


def solve_instance(
    instance: Instance,
    time_limit: float | None = None,
    workers: int | None = None,
    start: float | None = None,
) -> dict[str, Any]:
    start = time.perf_counter() if start is None else start
    model = pairs.build(instance)
    sol = _optimize(instance, model, time_limit, workers, start)
    return _result(instance, model, sol, start)
