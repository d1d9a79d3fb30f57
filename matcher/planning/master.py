"""Restricted master: the integer set packing over the generated columns, solved by CP-SAT
from the best plan known (a hint), stopped as soon as it meets the proven bound."""

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .pricing import Column
from .pruning import Problem


@dataclass(frozen=True, slots=True)
class MasterResult:
    chosen: list[Column]
    value: int  # sum of chosen values (free companies only)
    proven: bool  # optimal over the given columns
    infeasible: bool  # no plan over the given columns meets the minimums


class _StopAtTarget(cp_model.CpSolverSolutionCallback):
    def __init__(self, target: int):
        super().__init__()
        self.target = target

    def on_solution_callback(self) -> None:
        if self.objective_value >= self.target:
            self.stop_search()


def solve_master(
    problem: Problem,
    columns: list[Column],
    hint: list[Column],
    time_limit: float,
    workers: int,
    target: int | None,
) -> MasterResult:
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(len(columns))]
    per_company: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    per_week: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    per_track: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    per_place: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for var, col in zip(x, columns, strict=True):
        cand = problem.free[col.free]
        per_company[col.free].append(var)
        for m in col.team:
            for w in range(col.start, col.start + cand.weeks):
                per_week[(m, w)].append(var)
        per_track[cand.track].append(var)
        per_place[cand.municipality].append(var)
    for vars_ in per_company.values():
        model.add_at_most_one(vars_)
    for (m, w), vars_ in per_week.items():
        cap = int(problem.capacity[m, w])
        if len(vars_) > cap:
            if cap == 1:
                model.add_at_most_one(vars_)
            else:
                model.add(sum(vars_) <= cap)
    for track, left in problem.quota_left.items():
        if len(per_track[track]) > left:
            model.add(sum(per_track[track]) <= left)
    for place, need in problem.minimum_left.items():
        if need > 0:
            model.add(sum(per_place[place]) >= need)
    model.maximize(sum(col.value * var for col, var in zip(columns, x, strict=True)))
    hinted = {(c.free, c.start, c.team) for c in hint}
    for col, var in zip(columns, x, strict=True):
        model.add_hint(var, (col.free, col.start, col.team) in hinted)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = workers
    status = solver.solve(model, _StopAtTarget(target) if target is not None else None)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return MasterResult([], 0, False, status == cp_model.INFEASIBLE)
    chosen = [col for col, var in zip(columns, x, strict=True) if solver.boolean_value(var)]
    return MasterResult(chosen, sum(c.value for c in chosen), status == cp_model.OPTIMAL, False)
