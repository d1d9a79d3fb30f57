"""The direct CP-SAT model: per company a selection, a start and a Boolean per candidate mentor
with an optional interval; no overlap (or a cumulative) per mentor. It is complete, so its
proven bound is a bound of the plan; it starts from the best plan known (a hint) and carries
the column generation bound as a cut, so it stops as soon as it meets it.

With a `Restriction` (exact.py) and a `floor`, it holds only the starts and mentors that a plan
worth at least `floor` can use, and `objective >= floor`: then INFEASIBLE proves every plan
worth less than `floor`, and OPTIMAL is the optimum of the whole instance."""

import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .exact import Restriction
from .pricing import Column
from .pruning import Problem


@dataclass(frozen=True, slots=True)
class DirectResult:
    chosen: list[Column]  # empty when `floor` was given and no plan reaches it
    bound: int  # proven bound of the free companies' value (the cut when nothing better)
    proven: bool  # the bound is met by `chosen` (or, when `chosen` is empty, floor - 1)


class _StopAtTarget(cp_model.CpSolverSolutionCallback):
    """Stops the search once a plan reaches `target` (the proven bound: nothing is better)."""

    def __init__(self, target: int):
        super().__init__()
        self.target = target

    def on_solution_callback(self) -> None:
        if self.objective_value >= self.target:
            self.stop_search()


@dataclass
class _CompanyVars:
    free: int
    selected: cp_model.IntVar
    start: cp_model.IntVar
    paid: cp_model.IntVar
    members: list[tuple[int, cp_model.IntVar]]  # (mentor index, chosen)


def _company(
    model: cp_model.CpModel,
    problem: Problem,
    f: int,
    intervals: dict[int, list[cp_model.IntervalVar]],
    restriction: Restriction | None,
) -> tuple[_CompanyVars, cp_model.LinearExprT]:
    cand = problem.free[f]
    must = restriction is not None and f in restriction.must
    sel = model.new_constant(1) if must else model.new_bool_var(f"sel{f}")
    weeks = cand.starts.tolist() if restriction is None else restriction.starts[f]
    allowed = None if restriction is None else set(restriction.mentors[f])
    hi = int(weeks[-1])
    start = model.new_int_var_from_domain(cp_model.Domain.from_values(weeks), f"start{f}")
    paid = model.new_int_var(0, hi, f"paid{f}")  # the start week, counted when selected
    if must:
        model.add(paid == start)
    else:
        model.add(paid == start).only_enforce_if(sel)
        model.add(paid == 0).only_enforce_if(~sel)
    members = []
    for k, j in enumerate(cand.mentors.tolist()):
        if allowed is not None and j not in allowed:
            continue
        x = model.new_bool_var(f"x{f}_{j}")
        model.add_implication(x, sel)
        intervals[j].append(model.new_optional_fixed_size_interval_var(start, cand.weeks, x, f"i{f}_{j}"))
        members.append((k, j, x))
    model.add(sum(x for _, _, x in members) == cand.team_size * sel)
    for bit in range(cand.full.bit_length()):
        model.add(sum(x for k, _, x in members if cand.masks[k] >> bit & 1) >= sel)
    value = cand.base * sel - paid + sum(int(cand.member[k]) * x for k, _, x in members)
    return _CompanyVars(f, sel, start, paid, [(j, x) for _, j, x in members]), value


def _kept(model: cp_model.CpModel, v: _CompanyVars, current: Column) -> cp_model.IntVar:
    """True only when the company keeps its current start and team (worth `stability`)."""
    present = {j for j, _ in v.members}
    if not set(current.team) <= present:  # a restriction left a member out: never kept
        return model.new_constant(0)
    kept = model.new_bool_var(f"kept{v.free}")
    model.add_implication(kept, v.selected)
    model.add(v.start == current.start).only_enforce_if(kept)
    for j, x in v.members:
        if j in current.team:
            model.add_implication(kept, x)
    return kept


def solve_direct(
    problem: Problem,
    hint: list[Column],
    currents: list[Column],
    stability: int,
    cut: int,
    deadline: float,
    workers: int,
    restriction: Restriction | None = None,
    floor: int | None = None,
) -> DirectResult | None:
    """None when no time is left or no plan is found (with `floor`: when the search stopped
    before finding one or proving there is none)."""
    if restriction is not None and not restriction.must <= restriction.starts.keys():
        assert floor is not None
        return DirectResult([], floor - 1, True)  # a company every such plan selects cannot be
    model = cp_model.CpModel()
    n_m, n_w = problem.capacity.shape
    intervals: dict[int, list[cp_model.IntervalVar]] = {j: [] for j in range(n_m)}
    companies, values = [], []
    for f, cand in enumerate(problem.free):
        if restriction is not None and f not in restriction.starts:
            continue
        if len(cand.starts) and cand.coverable():
            v, value = _company(model, problem, f, intervals, restriction)
            companies.append(v)
            values.append(value)
    for track, left in problem.quota_left.items():
        model.add(sum(v.selected for v in companies if problem.free[v.free].track == track) <= left)
    for place, need in problem.minimum_left.items():
        model.add(sum(v.selected for v in companies if problem.free[v.free].municipality == place) >= need)
    for j in range(n_m):
        most = int(problem.instance.mentors[j].max_concurrent)
        taken = [(w, most - int(problem.capacity[j, w])) for w in range(n_w) if problem.capacity[j, w] < most]
        fixed = [model.new_fixed_size_interval_var(w, 1, f"busy{j}_{w}") for w, _ in taken]
        if most == 1:
            model.add_no_overlap(intervals[j] + fixed)
        else:
            demands = [1] * len(intervals[j]) + [d for _, d in taken]
            model.add_cumulative(intervals[j] + fixed, demands, most)
    by_company = {v.free: v for v in companies}
    for col in currents:
        if col.free in by_company:
            values.append(stability * _kept(model, by_company[col.free], col))
    objective = sum(values)
    model.add(objective <= cut)
    if floor is not None:
        model.add(objective >= floor)
    model.maximize(objective)
    by_free = {c.free: c for c in hint}
    for v in companies:
        hinted = by_free.get(v.free)
        weeks = problem.free[v.free].starts.tolist() if restriction is None else restriction.starts[v.free]
        if hinted is not None and hinted.start not in weeks:
            hinted = None  # outside the restriction: no use as a hint
        if restriction is None or v.free not in restriction.must:
            model.add_hint(v.selected, hinted is not None)
            model.add_hint(v.paid, hinted.start if hinted is not None else 0)
        model.add_hint(v.start, hinted.start if hinted is not None else int(weeks[0]))
        for j, x in v.members:
            model.add_hint(x, hinted is not None and j in hinted.team)
    seconds = deadline - time.perf_counter()
    if seconds <= 0.05:
        return None
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.cp_model_probing_level = 0  # presolve probing took 12 s of wall time at 200 x 30
    status = solver.solve(model, _StopAtTarget(cut))
    if status == cp_model.INFEASIBLE and floor is not None:
        return DirectResult([], floor - 1, True)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = []
    for v in companies:
        if solver.boolean_value(v.selected):
            cand = problem.free[v.free]
            team = tuple(sorted(j for j, x in v.members if solver.boolean_value(x)))
            start = solver.value(v.start)
            member = sum(int(cand.member[k]) for k, j in enumerate(cand.mentors.tolist()) if j in team)
            bonus = (
                stability
                if any(c.free == v.free and (c.start, c.team) == (start, team) for c in currents)
                else 0
            )
            chosen.append(Column(v.free, start, team, cand.base - start + member + bonus))
    bound = min(cut, math.floor(solver.best_objective_bound + 1e-6))
    if floor is not None:  # plans outside the restriction are worth less than floor
        bound = max(bound, floor - 1)
    return DirectResult(chosen, bound, status == cp_model.OPTIMAL)
