"""Exact (float) timing of routes: the times the result reports and every feasibility test the
router makes outside the engine. A route is timed earliest-first: the team leaves at the shift's
`from`, starts each visit as soon as it arrives or its next window opens, and must be back by `to`.
Starting as early as possible never hurts a later stop, so this timing is feasible whenever any is.
"""

from collections.abc import Iterable
from dataclasses import dataclass

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
            leg = float(self.minutes[here, v])
            arrive = t + leg
            start = _earliest_start(visit, arrive)
            if start is None:
                return None
            stops.append(Stop(v, arrive, start, start + visit.duration))
            t, here, travel = start + visit.duration, v, travel + leg
        leg = float(self.minutes[here, self.end_of[shift]])
        if t + leg > s.close + EPS:
            return None
        return Timing(stops, travel + leg, t + leg)

    def can_serve_alone(self, shift: int, visit: int) -> bool:
        """Whether `shift` could serve `visit` if it served nothing else."""
        return self.timing(shift, [visit]) is not None


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
    (default all), or None."""
    best: tuple[float, int, int] | None = None
    for k in range(len(routes)) if shifts is None else shifts:
        route = routes[k]
        if check_allowed and not net.visits[visit].allows(net.shifts[k].id):
            continue
        base = net.timing(k, route, check_allowed=check_allowed)
        if base is None:
            continue
        # An unused shift has no route at all: opening it costs its whole travel plus shift_cost.
        before = base.travel if route else -shift_cost
        for pos in range(len(route) + 1):
            timed = net.timing(k, [*route[:pos], visit, *route[pos:]], check_allowed=check_allowed)
            if timed is not None:
                added = timed.travel - before
                if best is None or added < best[0]:
                    best = (added, k, pos)
    return best
