"""The planner: greedy start, column generation for the proven bound, restricted master by
CP-SAT, a final fill; then the contract's result with reasons (docs/planner.md)."""

import math
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .bounds import best_alone, quota_bound, selection_bound
from .explain import engagement_reasons, unselected_reason
from .greedy import best_column, greedy, lp_rounding
from .model import Company, Engagement, Instance
from .pricing import Column, TeamPicker
from .pruning import IntArray, Problem, prepare
from .rules import engagement_value, team_problems, window_rule
from .search import one_opt, price_search, targets

if TYPE_CHECKING:
    from .colgen import Prices

Progress = Callable[[dict[str, Any]], None]
DEFAULT_TIME_LIMIT = 30.0
SEARCH_SHARE = 0.6  # of the time limit, at most, for the price-directed greedy
BOUND_SHARE = 0.5  # of the time limit, at most, for the search and column generation together
DIRECT_MAX_PAIRS = 10000  # candidate pairs above which the direct model gives way to the LNS
EPS = 1e-3  # added before flooring a float bound (values are integers; only loosens it)
FIRST_GAP = 100  # value units below the bound where reduced-cost fixing first looks for plans
STEP_SHARE = 0.1  # of the time left, at most, for each exclusion step (reduced-cost fixing)


def current_column(problem: Problem, f: int) -> Column | None:
    """The company's current engagement as a column worth `stability` more, if it still keeps
    every rule and fits the pins."""
    instance = problem.instance
    cand = problem.free[f]
    c = instance.companies[cand.company]
    if c.current is None:
        return None
    index = {m.id: j for j, m in enumerate(instance.mentors)}
    if any(mid not in index for mid in c.current.mentors):
        return None
    team = [instance.mentors[index[mid]] for mid in c.current.mentors]
    start = c.current.start_week
    if team_problems(c, team, instance.params.max_commute_km) or window_rule(c, start):
        return None
    rows = [index[m.id] for m in team]
    if (problem.capacity[rows, start : start + c.weeks] <= 0).any():
        return None
    value = engagement_value(c, team, start) + instance.params.stability
    return Column(f, start, tuple(sorted(rows)), value)


def fill(problem: Problem, pickers: list[TeamPicker], chosen: list[Column]) -> list[Column]:
    """Adds, by score, every unserved applicant that still fits (quotas and free mentor-weeks)."""
    capacity = residual(problem, chosen)
    quota = dict(problem.quota_left)
    for col in chosen:
        track = problem.free[col.free].track
        if track in quota:
            quota[track] -= 1
    served = {col.free for col in chosen}
    out = list(chosen)
    for f in sorted(range(len(problem.free)), key=lambda f: -problem.free[f].base):
        cand = problem.free[f]
        if f in served or quota.get(cand.track, 1) <= 0:
            continue
        found = best_column(problem, pickers[f], f, capacity)
        if found is not None:
            out.append(found)
            capacity[list(found.team), found.start : found.start + cand.weeks] -= 1
            if cand.track in quota:
                quota[cand.track] -= 1
    return out


def residual(problem: Problem, chosen: list[Column]) -> IntArray:
    capacity = problem.capacity.copy()
    for col in chosen:
        capacity[list(col.team), col.start : col.start + problem.free[col.free].weeks] -= 1
    return capacity


def meets_minimums(problem: Problem, chosen: list[Column]) -> bool:
    count: dict[str, int] = {}
    for col in chosen:
        name = problem.free[col.free].municipality
        count[name] = count.get(name, 0) + 1
    return all(count.get(name, 0) >= need for name, need in problem.minimum_left.items())


def impossible_minimum(problem: Problem, pickers: list[TeamPicker]) -> str | None:
    """A municipality whose minimum exceeds its applicants that have any valid team."""
    for name, need in sorted(problem.minimum_left.items()):
        able = sum(
            1 for f, cand in enumerate(problem.free) if cand.municipality == name and pickers[f].vectors
        )
        if able < need:
            return (
                f"municipality {name} needs {need} more but only {able} of its applicants have a valid team"
            )
    return None


class Planner:
    def __init__(
        self, instance: Instance, time_limit: float, workers: int, start: float, progress: Progress | None
    ):
        self.instance, self.workers, self.start, self.progress = instance, workers, start, progress
        self.deadline = start + time_limit
        self.time_limit = time_limit
        self.problem = prepare(instance)
        self.pickers = [TeamPicker(c) for c in self.problem.free]
        self.pinned_value = sum(self._pin_value(i) for i in self.problem.pinned)
        self.best: list[Column] | None = None
        self.best_value: int | None = None
        self.method: list[str] = []
        self.reported: tuple[int | None, int | None] | None = None  # last (objective, bound) sent

    def _pin_value(self, i: int) -> int:
        c = self.instance.companies[i]
        assert c.pinned is not None
        by_id = {m.id: m for m in self.instance.mentors}
        return engagement_value(c, [by_id[mid] for mid in c.pinned.mentors], c.pinned.start_week)

    def offer(self, chosen: list[Column], bound: float) -> None:
        if not meets_minimums(self.problem, chosen):
            return
        value = sum(c.value for c in chosen)
        if self.best_value is None or value > self.best_value:
            self.best, self.best_value = chosen, value
        self.report(bound)

    def report(self, bound: float) -> None:
        """Calls `progress` when the best plan or the bound changed since the last call."""
        if self.progress is None:
            return
        objective = None if self.best_value is None else self.best_value + self.pinned_value
        proven = None if not math.isfinite(bound) else math.floor(bound + EPS) + self.pinned_value
        if (objective, proven) == self.reported:
            return
        self.reported = (objective, proven)
        self.progress(
            {"objective": objective, "bound": proven, "elapsed": round(time.perf_counter() - self.start, 3)}
        )

    def run(self) -> dict[str, Any]:
        problem, pickers = self.problem, self.pickers
        currents = [col for f in range(len(problem.free)) if (col := current_column(problem, f))]
        reason = impossible_minimum(problem, pickers)
        if reason is not None:  # no search can help: say so at once
            return self.infeasible(reason)
        self.offer(fill(problem, pickers, greedy(problem, pickers)), math.inf)
        self.method.append("greedy by score")
        alone = best_alone(problem, pickers)
        bound = float(quota_bound(problem, alone, currents))
        selection = selection_bound(problem, alone, currents)
        if selection is not None:
            bound = min(bound, float(selection[0]))
        self.method.append("quota bound" + (" with minimums" if selection is not None else ""))
        self.report(bound)
        search_deadline = self.start + SEARCH_SHARE * self.time_limit
        goal = targets(problem, alone) if selection is None else selection[1]
        served_all = price_search(
            problem,
            pickers,
            goal,
            search_deadline,
            lambda plan: self.offer(plan, bound),
            lambda chosen: fill(problem, pickers, chosen),
        )
        self.method.append(
            "price-directed greedy (" + ("every target served" if served_all else "targets left out") + ")"
        )
        if self.best is not None:
            self.offer(fill(problem, pickers, one_opt(problem, pickers, self.best, self.deadline)), bound)
            self.method.append("1-opt")
        from .colgen import ColumnGeneration  # HiGHS and OR-Tools load only now: the search ran first

        cg = ColumnGeneration(problem, pickers, currents)
        pairs = sum(len(c.mentors) for c in problem.free)
        large = pairs > DIRECT_MAX_PAIRS  # the LP re-solves take 10-30 s: no column generation
        if not large and (self.best_value is None or self.best_value < math.floor(bound + EPS)):
            cg.add(currents + (self.best or []))
            cg_deadline = max(search_deadline, self.start + BOUND_SHARE * self.time_limit)
            cg.run(cg_deadline, lambda: self.best_value, bound)
            self.method.append(f"column generation ({cg.rounds} LP rounds, {len(cg.columns)} columns)")
            bound = min(bound, cg.bound)
        if cg.prices is not None:
            self.offer(fill(problem, pickers, greedy(problem, pickers, cg.prices.capacity)), bound)
            rounded = lp_rounding(problem, pickers, cg.columns, cg.column_values())
            self.offer(fill(problem, pickers, rounded), bound)
            self.method.append("greedy at LP prices; LP rounding")
        self.report(bound)
        int_bound = math.floor(bound + EPS)
        if cg.converged and cg.slack_used() > 1e-6:
            return self.infeasible(
                "the municipality minimums cannot all be met together with the quotas and mentors"
            )
        if self.best is not None and self.best_value is not None and self.best_value < int_bound and large:
            deadline = self.deadline - max(0.05 * self.time_limit, min(0.5, 0.1 * self.time_limit))
            stability = self.instance.params.stability
            from .lns import improve

            improved, steps = improve(problem, self.best, currents, stability, deadline, self.workers, goal)
            self.offer(fill(problem, pickers, improved), int_bound)
            self.method.append(f"large-neighbourhood search ({steps} CP-SAT steps)")
        elif self.best_value is None or self.best_value < int_bound:
            deadline = self.deadline - max(0.05 * self.time_limit, min(0.5, 0.1 * self.time_limit))
            left = deadline - time.perf_counter()
            if cg.converged and cg.best_prices is not None and self.best is not None and left > 1.0:
                int_bound = self.exclusion(cg.best_prices, currents, int_bound, deadline)
            stability = self.instance.params.stability
            from .direct import solve_direct

            res = None
            if self.best_value is None or self.best_value < int_bound:
                res = solve_direct(
                    problem, self.best or [], currents, stability, int_bound, deadline, self.workers
                )
            if res is not None:
                self.method.append(
                    f"direct CP-SAT from the best plan ({'optimal' if res.proven else 'stopped'})"
                )
                int_bound = min(int_bound, res.bound)
                self.offer(fill(problem, pickers, res.chosen), int_bound)
        if self.best is None:
            return self.infeasible(
                "no plan meeting the municipality minimums was found within the time limit"
            )
        return self.result(min(int_bound, np.iinfo(np.int64).max))

    def exclusion(self, prices: "Prices", currents: list[Column], int_bound: int, deadline: float) -> int:
        """Reduced-cost fixing at the LP's optimal prices (exact.py): the direct model of the plans
        worth at least a target, the target falling from just below the bound by doubling gaps
        while above the middle of the gap to the best plan, each step with at most STEP_SHARE
        of the time left. A step without such a plan proves the bound target - 1; a step that
        finds its optimum has found the optimum; the first step stopped by its time ends them.
        Returns the proven bound."""
        from .direct import solve_direct
        from .exact import Fixing

        assert self.best is not None and self.best_value is not None
        fixing = Fixing(self.problem, self.pickers, prices, currents)
        top = min(int_bound, math.floor(fixing.bound + EPS))
        gap, proofs = FIRST_GAP, 0
        while self.best_value < int_bound and 2 * gap < top - self.best_value:
            now = time.perf_counter()
            target = top - gap
            res = solve_direct(
                self.problem,
                self.best,
                currents,
                self.instance.params.stability,
                int_bound,
                min(deadline, now + STEP_SHARE * (deadline - now)),
                self.workers,
                fixing.restriction(target, currents),
                target,
            )
            if res is None:
                break
            int_bound = min(int_bound, res.bound)
            if res.chosen:
                self.offer(fill(self.problem, self.pickers, res.chosen), int_bound)
                break
            proofs += 1
            self.report(int_bound)
            gap *= 2
        found = self.best_value >= int_bound
        then = "; then the optimum found" if found else ""
        self.method.append(f"reduced-cost fixing ({proofs} bound(s) proven by exclusion{then})")
        return int_bound

    def infeasible(self, reason: str) -> dict[str, Any]:
        result = self.result_from([], "INFEASIBLE", self.pinned_value, reason)
        result["stats"]["reason"] = reason
        return result

    def result(self, bound: int) -> dict[str, Any]:
        assert self.best is not None and self.best_value is not None
        proven = self.best_value >= bound
        status = "OPTIMAL" if proven else "FEASIBLE"
        return self.result_from(self.best, status, max(bound, self.best_value) + self.pinned_value)

    def result_from(
        self, chosen: list[Column], status: str, bound: int, infeasible: str | None = None
    ) -> dict[str, Any]:
        instance, problem = self.instance, self.problem
        by_company: dict[int, Engagement] = {
            i: c.pinned for i in problem.pinned if (c := instance.companies[i]).pinned
        }
        for col in chosen:
            team = tuple(instance.mentors[j].id for j in col.team)
            by_company[problem.free[col.free].company] = Engagement(col.start, team)
        by_id = {m.id: (j, m) for j, m in enumerate(instance.mentors)}
        engagements, unselected = [], []
        selected: list[Company] = [instance.companies[i] for i in by_company]
        capacity = residual(problem, chosen)
        free_index = {cand.company: f for f, cand in enumerate(problem.free)}
        for i, c in enumerate(instance.companies):
            e = by_company.get(i)
            if e is not None:
                engagements.append(self.engagement(i, c, e, by_id))
                continue
            f = free_index[i]
            has_room = best_column(problem, self.pickers[f], f, capacity) is not None
            unselected.append(
                {
                    "company": c.id,
                    "reason": unselected_reason(
                        instance, problem, problem.free[f], selected, has_room, infeasible
                    ),
                }
            )
        objective = sum(int(e["value"]) for e in engagements)
        return {
            "version": 1,
            "status": status,
            "objective": objective,
            "bound": max(bound, objective) if status != "INFEASIBLE" else objective,
            "engagements": engagements,
            "unselected": unselected,
            "stats": {
                "wall_s": round(time.perf_counter() - self.start, 3),
                "method": "; ".join(self.method),
                "free_companies": len(problem.free),
                "candidate_pairs": int(sum(len(c.mentors) for c in problem.free)),
            },
        }

    def engagement(self, i: int, c: Company, e: Engagement, by_id: dict[str, Any]) -> dict[str, Any]:
        team = [by_id[mid][1] for mid in e.mentors]
        km = [float(self.problem.distance[i, by_id[mid][0]]) for mid in e.mentors]
        return {
            "company": c.id,
            "start_week": e.start_week,
            "end_week": e.start_week + c.weeks,
            "mentors": list(e.mentors),
            "value": engagement_value(c, team, e.start_week),
            "reasons": engagement_reasons(c, team, km, c.pinned is not None, same_engagement(c.current, e)),
        }


def same_engagement(a: Engagement | None, b: Engagement) -> bool:
    return a is not None and a.start_week == b.start_week and sorted(a.mentors) == sorted(b.mentors)


def plan_instance(
    instance: Instance,
    time_limit: float | None = None,
    workers: int | None = None,
    start: float | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    t0 = time.perf_counter() if start is None else start
    limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
    return Planner(instance, limit, workers or os.cpu_count() or 1, t0, progress).run()
