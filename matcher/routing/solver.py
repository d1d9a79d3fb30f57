"""The router: engine search, then exact timing, a repair pass and the contract's result dict."""

import time
from typing import Any

from . import pyvrp_engine
from .explain import reason
from .model import RoutingInstance
from .schedule import Network, cheapest_insertion

DEFAULT_TIME_LIMIT = 10.0
# Seconds kept back from the time limit for building the result after the search: a base plus
# a share per visit (repair and reasons grow with the instance), at most RESERVE_MAX_S.
RESERVE_BASE_S, RESERVE_PER_VISIT_S, RESERVE_MAX_S = 0.05, 0.002, 0.5
METHOD = "PyVRP iterated local search (prize-collecting, scaled integer times) + exact-time repair"


def solve_routing(
    instance: RoutingInstance, time_limit: float | None = None, started: float | None = None
) -> dict[str, Any]:
    """The contract's result for a validated instance; `started` is when the caller's clock began
    (perf_counter), so that the whole call, parsing included, stays within the time limit."""
    started = time.perf_counter() if started is None else started
    limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
    net = Network(instance)
    routes: list[list[int]] = [[] for _ in net.shifts]
    candidates = [
        v for v in range(len(net.visits)) if any(net.can_serve_alone(k, v) for k in range(len(net.shifts)))
    ]
    if candidates:
        problem = pyvrp_engine.build(net, candidates)
        reserve = min(RESERVE_MAX_S, RESERVE_BASE_S + RESERVE_PER_VISIT_S * len(net.visits))
        seconds = limit - (time.perf_counter() - started) - reserve
        routes = pyvrp_engine.solve(problem, seconds, seed=1)
    routes = _repair(net, routes, instance.shift_cost)
    return _result(net, routes, candidates, started)


def _repair(net: Network, routes: list[list[int]], shift_cost: float) -> list[list[int]]:
    """Make every route feasible with exact times (dropping stops from the end of a route that is
    not; the engine's rounding makes that a safeguard only), then insert whatever still fits,
    highest priority first, at its cheapest place."""
    fixed = []
    for k, route in enumerate(routes):
        kept = list(route)
        while kept and net.timing(k, kept) is None:
            kept.pop()
        fixed.append(kept)
    served = {v for r in fixed for v in r}
    left = sorted(
        (v for v in range(len(net.visits)) if v not in served), key=lambda v: -net.visits[v].priority
    )
    for v in left:
        place = cheapest_insertion(net, fixed, v, shift_cost)
        if place is not None:
            _, k, pos = place
            fixed[k].insert(pos, v)
    while _swap_in(net, fixed, shift_cost):
        pass
    return fixed


def _route_cost(net: Network, k: int, route: list[int], shift_cost: float) -> float | None:
    if not route:
        return 0.0
    timed = net.timing(k, route)
    return None if timed is None else timed.travel + shift_cost


def _swap_in(net: Network, routes: list[list[int]], shift_cost: float) -> bool:
    """One improving exchange of a served visit for an unserved one of at least its priority
    (more priority, or the same for less travel); the engine has no such move. True if made."""
    served = {v for r in routes for v in r}
    for u in (v for v in range(len(net.visits)) if v not in served):
        pu = net.visits[u].priority
        for k, route in enumerate(routes):
            if not net.visits[u].allows(net.shifts[k].id):
                continue
            before = _route_cost(net, k, route, shift_cost)
            assert before is not None
            for i, w in enumerate(route):
                pw = net.visits[w].priority
                if pw > pu:
                    continue
                rest = route[:i] + route[i + 1 :]
                for pos in range(len(rest) + 1):
                    trial = [*rest[:pos], u, *rest[pos:]]
                    after = _route_cost(net, k, trial, shift_cost)
                    if after is not None and (pu > pw or after < before - 1e-9):
                        routes[k] = trial
                        return True
    return False


def _result(net: Network, routes: list[list[int]], candidates: list[int], started: float) -> dict[str, Any]:
    out_routes = []
    travel = 0.0
    served: set[int] = set()
    for k, route in enumerate(routes):
        if not route:
            continue
        timed = net.timing(k, route)
        assert timed is not None
        travel += timed.travel
        served.update(route)
        out_routes.append(
            {
                "shift": net.shifts[k].id,
                "stops": [
                    {"visit": net.visits[s.visit].id, "arrive": s.arrive, "start": s.start, "end": s.end}
                    for s in timed.stops
                ],
            }
        )
    unserved = [
        {"visit": net.visits[v].id, "reason": reason(net, routes, v)}
        for v in range(len(net.visits))
        if v not in served
    ]
    # Proven optimal only in the trivial case: nothing can be served at all.
    status = "OPTIMAL" if not candidates else "FEASIBLE"
    return {
        "version": 1,
        "status": status,
        "served_priority": sum(net.visits[v].priority for v in served),
        "travel_minutes": travel,
        "shifts_used": len(out_routes),
        "routes": out_routes,
        "unserved": unserved,
        "stats": {
            "wall_s": round(time.perf_counter() - started, 3),
            "method": METHOD if candidates else "nothing can be served",
            "visits": len(net.visits),
            "shifts": len(net.shifts),
        },
    }
