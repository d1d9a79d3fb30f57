"""The router: engine search, then exact timing, a repair pass and the contract's result dict."""

import time
from typing import Any

from . import pyvrp_engine as engine
from .chains import serve_more
from .explain import reason
from .model import RoutingInstance
from .schedule import Network, cheapest_insertion

DEFAULT_TIME_LIMIT = 10.0
# Seconds kept back from the time limit for the repair and the result after the search: a base
# plus a share per visit (repair and reasons grow with the instance), at most RESERVE_MAX_S. The
# repair may use two thirds of it; the last third is for the result.
RESERVE_BASE_S, RESERVE_PER_VISIT_S, RESERVE_MAX_S = 0.05, 0.002, 0.5
# Share of the search time the prize-collecting search may take before ejection chains try to
# serve what it left out (it stops as soon as it serves every candidate).
PRIZE_SHARE = 0.3
# Share of the time left after it that the ejection chains may take (they stop when done).
CHAIN_SHARE = 0.25
SEED = 1
METHOD = (
    "PyVRP iterated local search (prize-collecting, then every visit required once all are served;"
    " scaled integer times) + ejection chains and exact-time repair"
)

Plan = list[list[int]]


def solve_routing(
    instance: RoutingInstance, time_limit: float | None = None, started: float | None = None
) -> dict[str, Any]:
    """The contract's result for a validated instance; `started` is when the caller's clock began
    (perf_counter), so that the whole call, parsing included, stays within the time limit."""
    started = time.perf_counter() if started is None else started
    limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
    net = Network(instance)
    routes: Plan = [[] for _ in net.shifts]
    candidates = [v for v in range(len(net.visits)) if net.options(v)]
    reserve = min(RESERVE_MAX_S, RESERVE_BASE_S + RESERVE_PER_VISIT_S * len(net.visits))
    if candidates:
        routes = _search(net, candidates, started + limit - reserve)
    routes = _repair(net, routes, instance.shift_cost, started + limit - reserve / 3)
    return _result(net, routes, candidates, started)


def _search(net: Network, candidates: list[int], deadline: float) -> Plan:
    """The engine's plan, in three steps:
    1. prize-collecting search until every candidate is served (or PRIZE_SHARE of the time);
    2. if some are left out: exact-time insertion and ejection chains;
    3. the rest of the time: the engine again from that plan, with every visit required when all
       are served (the faster search), prize-collecting otherwise; kept only if better."""
    problem = engine.build(net, candidates)
    now = time.perf_counter()
    first = engine.run(
        problem,
        problem.data,
        now + PRIZE_SHARE * max(0.0, deadline - now),
        SEED,
        below=problem.all_served_below,
    )
    shift_cost = net.instance.shift_cost
    if engine.serves_all(problem, first, len(candidates)):
        routes = _exact(net, engine.routes_of(problem, first))
    else:
        now = time.perf_counter()
        chains_until = now + CHAIN_SHARE * max(0.0, deadline - now)
        routes = _repair(net, engine.routes_of(problem, first), shift_cost, chains_until)
    if time.perf_counter() >= deadline:
        return routes
    all_served = sum(len(r) for r in routes) == len(candidates)
    data = engine.required_data(problem) if all_served else problem.data
    polished = engine.run(
        problem, data, deadline, SEED, initial=engine.solution_of(problem, data, net, routes)
    )
    if not polished.is_feasible():
        return routes
    other = _exact(net, engine.routes_of(problem, polished))
    return other if _value(net, other) > _value(net, routes) else routes


def _value(net: Network, routes: Plan) -> tuple[int, float]:
    """(served priority, -(travel + shift_cost x shifts used)) of exactly feasible routes."""
    priority, cost = 0, 0.0
    for k, route in enumerate(routes):
        if route:
            travel = net.travel(k, route)
            assert travel is not None
            priority += sum(net.visits[v].priority for v in route)
            cost += travel + net.instance.shift_cost
    return priority, -cost


def _exact(net: Network, routes: Plan) -> Plan:
    """Each route made feasible with exact times by dropping stops from its end (a safeguard:
    the engine's conservative rounding makes it unreachable)."""
    fixed = []
    for k, route in enumerate(routes):
        kept = list(route)
        while kept and net.timing(k, kept) is None:
            kept.pop()
        fixed.append(kept)
    return fixed


def _repair(net: Network, routes: Plan, shift_cost: float, until: float) -> Plan:
    """Exact timing (`_exact`), then whatever still fits, highest priority first, at its cheapest
    place; then ejection chains and exchanges for what is left, until `until` (perf_counter)."""
    fixed = _exact(net, routes)
    served = {v for r in fixed for v in r}
    left = sorted(
        (v for v in range(len(net.visits)) if v not in served), key=lambda v: -net.visits[v].priority
    )
    for v in left:
        if time.perf_counter() >= until:
            break
        place = cheapest_insertion(net, fixed, v, shift_cost)
        if place is not None:
            _, k, pos = place
            fixed[k].insert(pos, v)
    serve_more(net, fixed, until)
    while time.perf_counter() < until and _swap_in(net, fixed, shift_cost):
        pass
    return fixed


def _route_cost(net: Network, k: int, route: list[int], shift_cost: float) -> float | None:
    if not route:
        return 0.0
    travel = net.travel(k, route)
    return None if travel is None else travel + shift_cost


def _swap_in(net: Network, routes: Plan, shift_cost: float) -> bool:
    """One improving exchange of a served visit for an unserved one of at least its priority
    (more priority, or the same for less travel); the engine has no such move. True if made."""
    served = {v for r in routes for v in r}
    for u in (v for v in range(len(net.visits)) if v not in served):
        pu = net.visits[u].priority
        for k in net.options(u):
            route = routes[k]
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


def _result(net: Network, routes: Plan, candidates: list[int], started: float) -> dict[str, Any]:
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
