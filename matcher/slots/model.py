"""The CP-SAT model of one mentor's proposals.

One Boolean per candidate start, each with an optional fixed-size interval; all intervals in one
no-overlap constraint. Two candidates at different companies on one day that do not overlap but
leave less than the drive between them are excluded pairwise. Redundant time-indexed cliques (at
most one visit covers any candidate start) give the linear relaxation the strength the no-overlap
lacks, so that the solver proves optimality in milliseconds instead of seconds.

Objective, lexicographic through its weights: (1) as many assignments as possible get at least one
slot, (2) as many slots as possible, (3) least cost, where cost = earliness (`earliness_per_day`
per 24 h after the horizon starts) + minutes driven between companies visited on the same day
(proposals among themselves and with confirmed visits).
"""

import os
from collections import defaultdict
from dataclasses import dataclass

from .candidates import Candidates, Horizon


@dataclass
class MentorModel:
    model: object  # cp_model.CpModel
    choices: list[list[object]]  # per assignment, one Boolean per candidate start


def build(h: Horizon, mentor_id: str, cands: list[Candidates]) -> MentorModel:
    from ortools.sat.python import cp_model

    m, s = cp_model.CpModel(), h.s
    choices = [[m.new_bool_var("") for _ in c.starts] for c in cands]
    on_day: dict[int, list[tuple[int, int, object]]] = defaultdict(list)  # day -> (assignment, start, x)
    intervals, cost, slot_cost_max = [], [], 0
    for i, (c, xs) in enumerate(zip(cands, choices)):
        for (d, t), x in zip(c.starts, xs):
            intervals.append(m.new_optional_fixed_size_interval_var(t, s.visit_minutes, x, ""))
            on_day[d].append((i, t, x))
            c_t = s.earliness_per_day * t // 1440 + sum(
                h.travel(c.company, b.company) for b in h.mentor_busy[mentor_id][d]
                if b.day == d and b.company.id != c.company.id)
            slot_cost_max = max(slot_cost_max, c_t)
            cost.append(c_t * x)
    m.add_no_overlap(intervals)
    pair_cost_max = 0
    drives = [[h.travel(a.company, b.company) for b in cands] for a in cands]
    for d, day in on_day.items():
        cap = s.max_visits_per_day - h.mentor_count[mentor_id][d]
        pair_cost_max += _day(m, day, cap, drives, s.visit_minutes, cost)

    wanted = [min(c.assignment.n_slots, len(c.starts)) for c in cands]
    slots_weight = sum(wanted) * slot_cost_max + pair_cost_max + 1
    first_weight = slots_weight * (sum(wanted) + 1)
    reward = []
    for n, xs in zip(wanted, choices):
        if n:
            count = cp_model.LinearExpr.sum(xs)
            m.add(count <= n)
            has = m.new_bool_var("")
            m.add(has <= count)
            reward += [first_weight * has, slots_weight * count]
    m.maximize(cp_model.LinearExpr.sum(reward) - cp_model.LinearExpr.sum(cost))
    return MentorModel(m, choices)


def _day(m, day: list[tuple[int, int, object]], cap: int, drives, length: int, cost: list) -> int:
    """Constraints and driving cost of one day; returns the largest driving cost possible."""
    from ortools.sat.python.cp_model import LinearExpr

    day.sort(key=lambda e: e[1])
    by_assignment: dict[int, list] = defaultdict(list)
    for i, _, x in day:
        by_assignment[i].append(x)
    for xs in by_assignment.values():
        m.add_at_most_one(xs)  # the alternatives of one assignment are on different days
    for tau in sorted({t for _, t, _ in day}):
        covering = [x for _, t, x in day if t <= tau < t + length]
        if len(covering) > 1:
            m.add_at_most_one(covering)
    reach = length + max(drives[i][j] for i in by_assignment for j in by_assignment)
    for k, (i, t, x) in enumerate(day):
        for j, u, y in day[k + 1:]:
            if u - t >= reach:
                break  # later starts leave time for any drive
            if i != j and length <= u - t < length + drives[i][j]:
                m.add_at_most_one([x, y])  # no overlap, but no time to drive either

    ids = sorted(by_assignment)
    z = {i: LinearExpr.sum(by_assignment[i]) for i in ids}  # 1 if assignment i is on this day
    pairs = [(i, j) for a, i in enumerate(ids) for j in ids[a + 1:]]
    if len(ids) <= 1:
        return 0
    if cap <= 2 < len(ids) or (cap == 1 and len(ids) > 1):
        m.add(LinearExpr.sum(list(z.values())) <= cap)
    if cap <= 1 or os.environ.get("NOPAIR"):
        return 0
    both = {p: m.new_bool_var("") for p in pairs}
    if cap == 2:
        # Day patterns: nobody, one assignment alone, or one pair; exact and LP-tight.
        alone = {i: m.new_bool_var("") for i in ids}
        m.add(LinearExpr.sum(list(alone.values()) + list(both.values())) <= 1)
        for i in ids:
            m.add(z[i] <= alone[i] + LinearExpr.sum([both[p] for p in pairs if i in p]))
    else:
        if len(ids) > cap:
            m.add(LinearExpr.sum(list(z.values())) <= cap)
        for i, j in pairs:
            m.add(z[i] + z[j] <= 1 + both[i, j])
    cost += [drives[i][j] * both[i, j] for i, j in pairs]
    return sum(drives[i][j] for i, j in pairs)
