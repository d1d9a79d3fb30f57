"""The contract as a PyVRP problem (PyVRP works in integers).

- Times and distances are scaled by SCALE (1/1000 minute). Travel durations, service durations
  and window opens are rounded UP, window closes and shift ends DOWN, demands UP and capacities
  DOWN: a route feasible in the scaled integers is then feasible with the exact float times.
  Distances (the objective only) are rounded to nearest.
- A window (or shift span) too narrow to hold a multiple of 1/SCALE (e.g. one fractional instant,
  open == close == 7.0004) would invert under that rounding (open up > close down). A visit's
  window becomes the instant `close` rounded down, with one more unit of service duration: arriving
  by then means arriving by the exact close, and the engine's end stays no earlier than the exact
  one. A shift's span becomes the instant `from` rounded up: only a route of zero duration fits,
  as in exact times.
- Every visit is optional with a prize of priority x BIG, BIG exceeding any possible travel
  cost, so the engine serves as much priority as it can before it saves travel. When a search
  has served every candidate, `required_data` makes each of them required instead: the same
  problem without the prize bookkeeping, which PyVRP searches about twice as fast.
- A visit with several windows becomes one client per window in a mutually exclusive group.
- A shift is a vehicle (identical shifts form one vehicle type). Visits a shift may not serve are
  cut off in that shift's own profile by travel durations no route can absorb.
"""

import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .schedule import Network

if TYPE_CHECKING:
    from pyvrp import Activity, ProblemData, Solution

SCALE = 1000

IntMatrix = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class EngineProblem:
    """The PyVRP data and how to read its answer back: client -> visit, vehicle type -> shifts."""

    data: "ProblemData"
    client_visit: list[int]
    type_shifts: list[list[int]]
    # Engine cost (distance + fixed costs + uncollected prizes) below which every candidate is
    # served: the unused clients of served multi-window visits still count as uncollected.
    all_served_below: int
    # PyVRP's neighbourhood of `data`, computed by the first search (a list of one, or empty).
    neighbours: list["dict[Activity, list[Activity]]"] = field(default_factory=list)


def _up(x: float) -> int:
    return math.ceil(x * SCALE)


def _down(x: float) -> int:
    return math.floor(x * SCALE)


def client_window(open_: float, close: float, service: float) -> tuple[int, int, int]:
    """(tw_early, tw_late, service_duration) in engine units for a visit's window [open_, close]:
    conservative (see the module doc), and never inverted."""
    early, late, duration = _up(open_), _down(close), _up(service)
    if early > late:  # no multiple of 1/SCALE inside: then early == late + 1
        return late, late, duration + (early - late)
    return early, late, duration


def shift_span(open_: float, close: float) -> tuple[int, int]:
    """(tw_early, tw_late) in engine units for a shift's [from, to], never inverted."""
    early, late = _up(open_), _down(close)
    return early, max(early, late)


def build(net: Network, candidates: Sequence[int]) -> EngineProblem:
    """The PyVRP problem for the given visits (those some shift can reach) on all shifts."""
    from pyvrp import Client, ClientGroup, Depot, Location, ProblemData, VehicleType

    inst = net.instance
    n_points = net.minutes.shape[0]
    minutes = net.minutes
    duration = np.ceil(minutes * SCALE).astype(np.int64)
    distance = np.rint(minutes * SCALE).astype(np.int64)
    horizon = max((shift_span(s.open, s.close)[1] for s in net.shifts), default=0)
    cut = 2 * horizon + _up(float(minutes.max(initial=0.0))) + 1

    points = [v.at for v in net.visits] + [s.start for s in net.shifts] + [s.end for s in net.shifts]
    locations = [Location(p.b, p.a) for p in points]

    # One depot per distinct place a shift starts or ends at.
    depot_of_point: dict[tuple[float, float], int] = {}
    depots: list[Depot] = []
    shift_depots: list[tuple[int, int]] = []
    for k, _ in enumerate(net.shifts):
        ends = []
        for point in (net.start_of[k], net.end_of[k]):
            place = (points[point].a, points[point].b)
            if place not in depot_of_point:
                depot_of_point[place] = len(depots)
                depots.append(Depot(location=point))
            ends.append(depot_of_point[place])
        shift_depots.append((ends[0], ends[1]))

    capacities = [s.capacity for s in net.shifts]
    total_demand = sum(_up(net.visits[v].demand) for v in candidates)
    unlimited = total_demand + 1
    max_leg = int(distance.max(initial=0))
    fixed = round(inst.shift_cost * SCALE)
    big = (len(candidates) + len(net.shifts)) * max_leg + len(net.shifts) * fixed + 1

    clients: list[Client] = []
    groups: list[ClientGroup] = []
    client_visit: list[int] = []
    unused_when_all_served = 0
    for v in candidates:
        visit = net.visits[v]
        members = []
        for open_, close in visit.windows:
            early, late, service = client_window(open_, close, visit.duration)
            members.append(len(clients))
            clients.append(
                Client(
                    location=v,
                    delivery=[_up(visit.demand)],
                    service_duration=service,
                    tw_early=early,
                    tw_late=late,
                    prize=visit.priority * big,
                    required=False,
                    group=len(groups) if len(visit.windows) > 1 else None,
                )
            )
            client_visit.append(v)
        if len(visit.windows) > 1:
            groups.append(ClientGroup(members, required=False))
            unused_when_all_served += (len(visit.windows) - 1) * visit.priority * big

    # Profiles: shifts that must not serve the same visits share one.
    profile_of: dict[frozenset[int], int] = {}
    distances: list[IntMatrix] = []
    durations: list[IntMatrix] = []
    type_key: dict[tuple[int, int, int, int, int, int], int] = {}
    type_shifts: list[list[int]] = []
    for k, shift in enumerate(net.shifts):
        banned = frozenset(v for v in candidates if not net.visits[v].allows(shift.id))
        if banned not in profile_of:
            profile_of[banned] = len(distances)
            dur = duration.copy()
            if banned:
                cols = np.fromiter(banned, dtype=np.int64)
                dur[:, cols] = cut
                dur[cols, :] = cut
                np.fill_diagonal(dur, 0)
            distances.append(distance)
            durations.append(dur)
        cap = _down(capacities[k]) if capacities[k] > 0 else unlimited
        key = (*shift_depots[k], *shift_span(shift.open, shift.close), cap, profile_of[banned])
        if key not in type_key:
            type_key[key] = len(type_shifts)
            type_shifts.append([])
        type_shifts[type_key[key]].append(k)

    vehicle_types = []
    for (start, end, early, late, cap, profile), t in type_key.items():
        vehicle_types.append(
            VehicleType(
                num_available=len(type_shifts[t]),
                capacity=[cap],
                start_depot=start,
                end_depot=end,
                fixed_cost=fixed,
                tw_early=early,
                tw_late=late,
                profile=profile,
            )
        )
    assert n_points == len(locations)
    # PyVRP's stub types a matrix as `np.ndarray[int]`, which no real array type matches.
    data = ProblemData(
        locations,
        clients,
        depots,
        vehicle_types,
        distances,  # type: ignore[arg-type]
        durations,  # type: ignore[arg-type]
        groups,
    )
    return EngineProblem(data, client_visit, type_shifts, unused_when_all_served + big)


def required_data(problem: EngineProblem) -> "ProblemData":
    """The same problem with every candidate required (no prizes): a visit with one window is a
    required client, one with several a required group of optional clients."""
    from pyvrp import Client, ClientGroup

    data = problem.data
    clients = []
    for i in range(data.num_clients):
        c = data.client(i)
        clients.append(
            Client(
                location=c.location,
                delivery=c.delivery,
                service_duration=c.service_duration,
                tw_early=c.tw_early,
                tw_late=c.tw_late,
                prize=0,
                required=c.group is None,
                group=c.group,
            )
        )
    groups = [ClientGroup(list(g.clients), required=True) for g in data.groups()]
    return data.replace(clients=clients, groups=groups)


class _Stop:
    """PyVRP stopping criterion: a wall-clock deadline (perf_counter), or a cost to get below."""

    def __init__(self, until: float, below: int | None):
        self.until, self.below = until, below

    def __call__(self, best_cost: float) -> bool:
        return time.perf_counter() >= self.until or (self.below is not None and best_cost < self.below)


def run(
    problem: EngineProblem,
    data: "ProblemData",
    until: float,
    seed: int,
    below: int | None = None,
    initial: "Solution | None" = None,
) -> "Solution":
    """PyVRP's search (as `pyvrp.solve` with default parameters) on `data`, which is
    `problem.data` or `required_data(problem)`, until `until` (perf_counter), or as soon as its
    best feasible solution costs less than `below`; warm-started from `initial` when given.
    The neighbourhood depends only on places and windows, so it is computed once per problem
    (it is the slowest part of a start on a large instance)."""
    from pyvrp import IteratedLocalSearch, PenaltyManager, RandomNumberGenerator, SolveParams
    from pyvrp import Solution as PyvrpSolution
    from pyvrp.exceptions import PenaltyBoundWarning
    from pyvrp.search import LocalSearch, PerturbationManager, compute_neighbours

    params = SolveParams()
    if not problem.neighbours:
        problem.neighbours.append(compute_neighbours(problem.data, params.neighbourhood))
    rng = RandomNumberGenerator(seed=seed)
    search = LocalSearch(data, rng, problem.neighbours[0], PerturbationManager(params.perturbation))
    for op in params.operators:
        if op.supports(data):
            search.add_operator(op(data))
    penalties = PenaltyManager(params.penalty.midpoint_penalties(data), params.penalty)
    # PyVRP's penalty-bound warning (a tight instance where most moves break a time window) is
    # not the caller's business: the answer is judged with exact times afterwards.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        if initial is None:
            random = PyvrpSolution.make_random(data, rng)
            initial = search(random, penalties.max_cost_evaluator(), exhaustive=True)
        ils = IteratedLocalSearch(data, penalties, search, initial, params.ils)
        # The criterion is checked after each iteration: one runs even when time is up.
        result = ils.run(_Stop(until, below), collect_stats=False)
    return result.best


def serves_all(problem: EngineProblem, solution: "Solution", candidates: int) -> bool:
    """Whether `solution` is feasible and serves every one of the `candidates` visits."""
    served = {
        problem.client_visit[act.idx] for route in solution.routes() for act in route if act.is_client()
    }
    return solution.is_feasible() and len(served) == candidates


def routes_of(problem: EngineProblem, solution: "Solution") -> list[list[int]]:
    """Routes (visit indices in driving order), one list per shift index, in shift order."""
    n_shifts = sum(len(s) for s in problem.type_shifts)
    routes: list[list[int]] = [[] for _ in range(n_shifts)]
    free = [list(s) for s in problem.type_shifts]
    for route in solution.routes():
        visits = [problem.client_visit[act.idx] for act in route if act.is_client()]
        if visits:
            routes[free[route.vehicle_type()].pop(0)] = visits
    return routes


def solution_of(
    problem: EngineProblem, data: "ProblemData", net: Network, routes: list[list[int]]
) -> "Solution":
    """Exact routes (feasible with float times) as a PyVRP solution of `data` (same clients as
    `problem.data`): each visit becomes its client whose window holds the route's exact start."""
    from pyvrp import Route, Solution

    clients_of: dict[int, list[int]] = {}
    for c, v in enumerate(problem.client_visit):
        clients_of.setdefault(v, []).append(c)
    type_of = {k: t for t, shifts in enumerate(problem.type_shifts) for k in shifts}
    engine_routes = []
    for k, route in enumerate(routes):
        timed = net.timing(k, route) if route else None
        if timed is None:
            continue
        visits = []
        for stop in timed.stops:
            members = clients_of[stop.visit]
            windows = net.visits[stop.visit].windows
            j = min(range(len(members)), key=lambda i: _outside(windows[i], stop.start))
            visits.append(members[j])
        engine_routes.append(Route(data, visits, type_of[k]))
    return Solution(data, engine_routes)


def _outside(window: tuple[float, float], t: float) -> float:
    return max(window[0] - t, t - window[1], 0.0)
