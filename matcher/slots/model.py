"""The CP-SAT model of one mentor's proposals.

One Boolean per candidate start, each with an optional fixed-size interval; all intervals in one
no-overlap constraint. Two candidates at different companies on one day that do not overlap but
leave less than the drive between them are excluded pairwise. Redundant time-indexed cliques (at
most one visit covers any candidate start) give the linear relaxation the strength the no-overlap
lacks, so that the solver proves optimality in milliseconds instead of seconds.

Objective, lexicographic through its weights: (1) as many assignments as possible get at least one
slot, (2) as many slots as possible, (3) least cost, where cost = earliness (`earliness_per_day`
per 24 h after the horizon starts) + minutes of driving to and from the mentor's confirmed visits
of the same day. Driving between two proposals is not priced: only one of each assignment's
alternatives gets confirmed, and the pairwise term made the models about 100 times slower.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .candidates import Candidates, Horizon

if TYPE_CHECKING:
    from ortools.sat.python.cp_model import CpModel, IntVar


@dataclass
class MentorModel:
    model: "CpModel"
    choices: "list[list[IntVar]]"  # per assignment, one Boolean per candidate start


def build(
    h: Horizon,
    mentor_id: str,
    cands: list[Candidates],
    drives: list[list[int]],
    hint: list[list[int]] | None = None,
) -> MentorModel:
    """`drives[i][j]`: minutes from the company of cands[i] to that of cands[j]; `hint`: per
    assignment, the starts of a known answer (the greedy plan's) for the solver to start from."""
    from ortools.sat.python import cp_model

    m, s = cp_model.CpModel(), h.s
    choices = [[m.new_bool_var("") for _ in c.starts] for c in cands]
    on_day: dict[int, list[tuple[int, int, IntVar]]] = defaultdict(list)  # day -> (assignment, start, x)
    intervals, cost, slot_cost_max = [], [], 0
    for i, (c, xs) in enumerate(zip(cands, choices, strict=True)):
        for (d, t), x in zip(c.starts, xs, strict=True):
            intervals.append(m.new_optional_fixed_size_interval_var(t, s.visit_minutes, x, ""))
            on_day[d].append((i, t, x))
            c_t = h.cost(c.options, t)
            slot_cost_max = max(slot_cost_max, c_t)
            cost.append(c_t * x)
            if hint is not None:
                m.add_hint(x, t in hint[i])
    m.add_no_overlap(intervals)
    for d, day in on_day.items():
        _day(m, day, s.max_visits_per_day - h.mentor_count[mentor_id][d], drives, s.visit_minutes)

    wanted = [min(c.options.assignment.n_slots, len(c.starts)) for c in cands]
    slots_weight = sum(wanted) * slot_cost_max + 1
    first_weight = slots_weight * (sum(wanted) + 1)
    reward = []
    for n, xs in zip(wanted, choices, strict=True):
        if n:
            count = cp_model.LinearExpr.sum(xs)
            m.add(count <= n)
            has = m.new_bool_var("")
            m.add(has <= count)
            reward += [first_weight * has, slots_weight * count]
    m.maximize(cp_model.LinearExpr.sum(reward) - cp_model.LinearExpr.sum(cost))
    return MentorModel(m, choices)


def _day(
    m: "CpModel", day: "list[tuple[int, int, IntVar]]", cap: int, drives: list[list[int]], length: int
) -> None:
    """The constraints among one day's candidates."""
    from ortools.sat.python.cp_model import LinearExpr

    day.sort(key=lambda e: e[1])
    by_assignment: dict[int, list[IntVar]] = defaultdict(list)
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
        for j, u, y in day[k + 1 :]:
            if u - t >= reach:
                break  # later starts leave time for any drive
            if i != j and length <= u - t < length + drives[i][j]:
                m.add_at_most_one([x, y])  # no overlap, but no time to drive either

    if len(by_assignment) > cap:
        m.add(LinearExpr.sum([x for _, _, x in day]) <= cap)
