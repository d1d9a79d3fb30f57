"""Exact (float) timing of routes: the times the result reports and every feasibility test the
router makes outside the engine. A route is timed earliest-first: the team leaves at the shift's
`from`, starts each visit as soon as it arrives or its next window opens, and must be back by `to`.
Starting as early as possible never hurts a later stop, so this timing is feasible whenever any is.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .model import RoutingInstance, Shift, Visit
from .travel import Matrix, travel_matrix

# Float slack when comparing times: far below the contract's 0.01 minutes, far above rounding noise.
EPS = 1e-6


@dataclass(frozen=True, slots=True)
class Stop:
    visit: int
    arrive: float
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Timing:
    stops: list[Stop]
    travel: float  # minutes, sum of the legs from start through every stop to end
    back: float  # arrival time at the shift's end


class Network:
    """An instance with its travel matrix: visits are points 0..n-1, then each shift's start, end."""

    def __init__(self, instance: RoutingInstance):
        self.instance = instance
        self.shifts: list[Shift] = instance.shifts
        self.visits: list[Visit] = instance.visits
        n, m = len(self.visits), len(self.shifts)
        points = [v.at for v in self.visits] + [s.start for s in self.shifts] + [s.end for s in self.shifts]
        self.minutes: Matrix = travel_matrix(points, instance.travel)
        self.start_of = [n + k for k in range(m)]
        self.end_of = [n + m + k for k in range(m)]
        # Plain lists for the hot feasibility test (indexing numpy scalars is several times slower).
        self._rows: list[list[float]] = self.minutes.tolist()
        self._windows = [v.windows for v in self.visits]
        self._durations = [v.duration for v in self.visits]
        self._demands = [v.demand for v in self.visits]
        self._options: list[list[int]] | None = None
        self._in_time: list[list[int]] | None = None

    def timing(
        self, shift: int, route: list[int], check_capacity: bool = True, check_allowed: bool = True
    ) -> Timing | None:
        """The earliest-first timing of `route` (visit indices) on `shift`, or None if any rule fails:
        a window missed, back after `to`, capacity exceeded or a visit not allowed on the shift
        (the last two can be set aside to explain an unserved visit)."""
        s = self.shifts[shift]
        if check_capacity and s.capacity > 0 and sum(self.visits[v].demand for v in route) > s.capacity + EPS:
            return None
        t, here, travel = s.open, self.start_of[shift], 0.0
        stops: list[Stop] = []
        for v in route:
            visit = self.visits[v]
            if check_allowed and not visit.allows(s.id):
                return None
            leg = self._rows[here][v]
            arrive = t + leg
            start = _earliest_start(visit, arrive)
            if start is None:
                return None
            stops.append(Stop(v, arrive, start, start + visit.duration))
            t, here, travel = start + visit.duration, v, travel + leg
        leg = self._rows[here][self.end_of[shift]]
        if t + leg > s.close + EPS:
            return None
        return Timing(stops, travel + leg, t + leg)

    def travel(self, shift: int, route: list[int]) -> float | None:
        """The travel minutes of `route` on `shift` if every rule holds (as `timing`, allowed shifts
        taken as checked by the caller), else None: the fast test for searches."""
        s = self.shifts[shift]
        if s.capacity > 0 and sum(self._demands[v] for v in route) > s.capacity + EPS:
            return None
        rows, windows, durations = self._rows, self._windows, self._durations
        t, row, travel = s.open, rows[self.start_of[shift]], 0.0
        for v in route:
            leg = row[v]
            arrive = t + leg
            start: float | None = None
            for open_, close in windows[v]:
                if arrive <= close + EPS:
                    begin = arrive if arrive > open_ else open_
                    if start is None or begin < start:
                        start = begin
            if start is None:
                return None
            t, row, travel = start + durations[v], rows[v], travel + leg
        leg = row[self.end_of[shift]]
        return travel + leg if t + leg <= s.close + EPS else None

    def can_serve_alone(self, shift: int, visit: int) -> bool:
        """Whether `shift` could serve `visit` if it served nothing else."""
        return self.timing(shift, [visit]) is not None

    def options(self, visit: int) -> list[int]:
        """The shifts that could serve `visit` if they served nothing else (`can_serve_alone`,
        computed once for all visits, a whole column of shifts at a time). No other shift can
        serve it in any route: stops before it only delay it, and travel obeys the triangle
        inequality."""
        if self._options is None:
            self._options, self._in_time = self._reach()
        return self._options[visit]

    def in_time(self, visit: int) -> list[int]:
        """The shifts, allowed or not, that could reach `visit` inside its windows and be back in
        time if they served nothing else, whatever its demand (for the unserved reasons)."""
        if self._in_time is None:
            self._options, self._in_time = self._reach()
        return self._in_time[visit]

    def _reach(self) -> tuple[list[list[int]], list[list[int]]]:
        m = len(self.shifts)
        if m == 0:
            return [[] for _ in self.visits], [[] for _ in self.visits]
        opens = np.array([s.open for s in self.shifts])
        closes = np.array([s.close for s in self.shifts])
        capacity = np.array([s.capacity for s in self.shifts])
        ids = [s.id for s in self.shifts]
        out = self.minutes[self.start_of, :]  # out[k, v]: from shift k's start to visit v
        back = self.minutes[:, self.end_of]  # back[v, k]: from visit v to shift k's end
        options, in_time = [], []
        for v, visit in enumerate(self.visits):
            # The same float operations, in the same order, as `timing` on the route [v].
            arrive = opens + out[:, v]
            start = np.full(m, np.inf)
            for open_, close in visit.windows:
                start = np.where(arrive <= close + EPS, np.minimum(start, np.maximum(arrive, open_)), start)
            reach = np.isfinite(start) & ~(start + visit.duration + back[v] > closes + EPS)
            in_time.append(np.flatnonzero(reach).tolist())
            reach &= ~((capacity > 0) & (visit.demand > capacity + EPS))
            options.append([k for k in np.flatnonzero(reach).tolist() if visit.allows(ids[k])])
        return options, in_time


def _earliest_start(visit: Visit, arrive: float) -> float | None:
    best: float | None = None
    for open_, close in visit.windows:
        if arrive <= close + EPS:
            start = max(arrive, open_)
            best = start if best is None else min(best, start)
    return best


def cheapest_insertion(
    net: Network,
    routes: list[list[int]],
    visit: int,
    shift_cost: float,
    shifts: Iterable[int] | None = None,
    check_allowed: bool = True,
) -> tuple[float, int, int] | None:
    """(added cost, shift, position) of the cheapest feasible place for `visit` among `shifts`
    (default: those that could serve it alone, see `Network.options`), or None. The routes'
    own visits are taken as allowed on their shifts."""
    best: tuple[float, int, int] | None = None
    for k in net.options(visit) if shifts is None else shifts:
        route = routes[k]
        if check_allowed and not net.visits[visit].allows(net.shifts[k].id):
            continue
        base = net.travel(k, route)
        if base is None:
            continue
        # An unused shift has no route at all: opening it costs its whole travel plus shift_cost.
        before = base if route else -shift_cost
        for pos in range(len(route) + 1):
            travel = net.travel(k, [*route[:pos], visit, *route[pos:]])
            if travel is not None:
                added = travel - before
                if best is None or added < best[0]:
                    best = (added, k, pos)
    return best
