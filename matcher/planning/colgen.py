"""Column generation: the LP relaxation of the set packing over (company, start, team) columns,
solved by HiGHS, priced exactly per company, and the proven bound it gives.

Rows: one per free company (at most one column), one per mentor-week (at most its capacity),
one per quota (at most the places left) and one per municipality minimum (at least the
companies still needed; an elastic slack at a prohibitive price keeps the LP feasible).
With row prices pi (>= 0 on capacity and quotas, <= 0 on minimums), every plan is worth at
most  L(pi) = sum_rows b * pi + sum_companies max(0, best reduced value of the company),
the Lagrangian bound; pricing computes the best reduced value exactly, so L(pi) is proven for
any prices and the best L over the rounds is the reported bound.
"""

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np

from .pricing import Column, TeamPicker, blocked, window_sums
from .pruning import FloatArray, Problem

SLACK_PRICE = 1e8  # per missing company of a municipality minimum
ATTRACTIVE = 1e-3  # reduced value above which a column enters the LP
COLUMNS_PER_COMPANY = 3  # best starts priced into the LP per company and round


def quiet_highs() -> highspy.Highs:
    """A silent HiGHS; its first construction in a process prints a banner on file descriptor 1,
    which would corrupt a result written to standard output, so that one goes to /dev/null."""
    import sys

    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("presolve", "off")
    h.setOptionValue("simplex_strategy", 4)  # primal: added columns keep the basis primal feasible
    return h


@dataclass
class Prices:
    capacity: FloatArray  # (mentors, weeks), >= 0
    quota: dict[str, float]  # >= 0
    minimum: dict[str, float]  # <= 0

    def row_price(self, track: str, municipality: str) -> float:
        return self.quota.get(track, 0.0) + self.minimum.get(municipality, 0.0)


class ColumnGeneration:
    def __init__(self, problem: Problem, pickers: list[TeamPicker]):
        self.problem, self.pickers = problem, pickers
        n_m, n_w = problem.capacity.shape
        self.n_free, self.n_weeks = len(problem.free), n_w
        self.quota_row = {t: i for i, t in enumerate(sorted(problem.quota_left))}
        needed = sorted(name for name, n in problem.minimum_left.items() if n > 0)
        self.minimum_row = {name: i for i, name in enumerate(needed)}
        self.cap_base = self.n_free
        self.quota_base = self.cap_base + n_m * n_w
        self.minimum_base = self.quota_base + len(self.quota_row)
        inf = highspy.kHighsInf
        upper = np.concatenate(
            [
                np.ones(self.n_free),
                problem.capacity.ravel().astype(np.float64),
                [float(problem.quota_left[t]) for t in self.quota_row],
                np.full(len(needed), inf),
            ]
        )
        lower = np.concatenate(
            [np.full(self.minimum_base, -inf), [float(problem.minimum_left[n]) for n in needed]]
        )
        self.lp = quiet_highs()
        self.lp.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.lp.addRows(len(upper), lower, upper, 0, np.array([0]), np.array([0]), np.array([0.0]))
        for r in self.minimum_row.values():
            row = np.array([self.minimum_base + r], dtype=np.int32)
            self.lp.addCols(
                1,
                np.array([-SLACK_PRICE]),
                np.array([0.0]),
                np.array([inf]),
                1,
                np.array([0], dtype=np.int32),
                row,
                np.array([1.0]),
            )
        self.n_slack = len(needed)
        self.columns: list[Column] = []
        self.keys: set[tuple[int, int, tuple[int, ...]]] = set()
        self.bound = np.inf
        self.prices: Prices | None = None
        self.lp_value = np.inf
        self.rounds = 0
        self.converged = False  # the LP is optimal over all columns

    def rows_of(self, col: Column) -> list[int]:
        cand = self.problem.free[col.free]
        rows = [col.free]
        for m in col.team:
            base = self.cap_base + m * self.n_weeks
            rows += range(base + col.start, base + col.start + cand.weeks)
        if cand.track in self.quota_row:
            rows.append(self.quota_base + self.quota_row[cand.track])
        if cand.municipality in self.minimum_row:
            rows.append(self.minimum_base + self.minimum_row[cand.municipality])
        return rows

    def add(self, columns: list[Column]) -> int:
        new = [c for c in columns if (c.free, c.start, c.team) not in self.keys]
        if not new:
            return 0
        starts, index = [0], []
        for c in new:
            self.keys.add((c.free, c.start, c.team))
            index += self.rows_of(c)
            starts.append(len(index))
        self.lp.addCols(
            len(new),
            np.array([float(c.value) for c in new]),
            np.zeros(len(new)),
            np.ones(len(new)),
            len(index),
            np.array(starts[:-1], dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.ones(len(index)),
        )
        self.columns += new
        return len(new)

    def solve_lp(self) -> tuple[Prices, FloatArray]:
        self.lp.run()
        dual = np.asarray(self.lp.getSolution().row_dual, dtype=np.float64)
        self.lp_value = float(self.lp.getInfo().objective_function_value)
        n_m = self.problem.capacity.shape[0]
        prices = Prices(
            np.maximum(dual[self.cap_base : self.quota_base], 0.0).reshape(n_m, self.n_weeks),
            {t: max(0.0, float(dual[self.quota_base + r])) for t, r in self.quota_row.items()},
            {n: min(0.0, float(dual[self.minimum_base + r])) for n, r in self.minimum_row.items()},
        )
        return prices, np.maximum(dual[: self.n_free], 0.0)

    def column_values(self) -> FloatArray:
        """The LP value of each generated column."""
        return np.asarray(self.lp.getSolution().col_value, dtype=np.float64)[self.n_slack :]

    def slack_used(self) -> float:
        values = self.lp.getSolution().col_value
        return float(sum(values[: self.n_slack]))

    def price(self, prices: Prices, company_duals: FloatArray | None) -> tuple[float, list[Column]]:
        """The Lagrangian bound at these prices, and the attractive columns (reduced value above
        the company's own LP price)."""
        problem = self.problem
        total = float((prices.capacity * problem.capacity).sum())
        total += sum(prices.quota[t] * problem.quota_left[t] for t in prices.quota)
        total += sum(prices.minimum[n] * problem.minimum_left[n] for n in prices.minimum)
        found = []
        for f, cand in enumerate(problem.free):
            picker = self.pickers[f]
            if not picker.vectors or not len(cand.starts):
                continue
            cost = window_sums(prices.capacity, cand)
            weights = np.where(blocked(problem.capacity, cand), -np.inf, cand.member[None, :] - cost)
            totals, teams = picker.best(weights)
            reduced = cand.base - cand.starts + totals - prices.row_price(cand.track, cand.municipality)
            best = float(reduced.max())
            if best <= 0:
                continue
            total += best
            floor = ATTRACTIVE + (company_duals[f] if company_duals is not None else 0.0)
            for s in np.argsort(-reduced, kind="stable")[:COLUMNS_PER_COMPANY].tolist():
                if reduced[s] <= floor:
                    break
                team = teams.at(s)
                start = int(cand.starts[s])
                value = cand.base - start + int(cand.member[team].sum())
                found.append(Column(f, start, tuple(sorted(int(cand.mentors[t]) for t in team)), value))
        return total, found

    def run(self, deadline: float, target: Callable[[], int | None], known: float = np.inf) -> None:
        """Rounds until the LP is optimal over all columns, the bound (or `known`, a bound from
        elsewhere) meets `target()` (the best plan known) or the deadline passes; at least one
        round, so there is always a bound. Each LP solve stops at the deadline too (its prices,
        optimal or not, still give a proven Lagrangian bound)."""
        while True:
            self.lp.setOptionValue("time_limit", max(0.05, deadline - time.perf_counter()))
            prices, company_duals = self.solve_lp()
            optimal = self.lp.getModelStatus() == highspy.HighsModelStatus.kOptimal
            self.prices = prices
            self.rounds += 1
            bound, found = self.price(prices, company_duals)
            self.bound = min(self.bound, bound)
            best = target()
            if best is not None and np.floor(min(self.bound, known) + 1e-3) <= best:
                return
            if not self.add(found):
                self.converged = optimal
                return
            if time.perf_counter() >= deadline:
                return
