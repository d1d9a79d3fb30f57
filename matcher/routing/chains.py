"""Ejection chains: serve one more visit by moving others, with exact float times.

A tight plan (every shift full, as in an inspection burst where each pair does exactly two
half-day visits a day) leaves the engine a visit or two short: fitting one more needs several
visits to change shifts at once, which no single local-search move does. This is an augmenting-
path search, as in bipartite matching: the unserved visit `u` takes a place in some shift,
pushing out one visit `w` of that shift if it must; `w` then takes a place elsewhere, pushing
out another, and so on until the last one fits without pushing anyone (everyone stays served)
or, failing that, until the last one pushed out has a lower priority than `u` (served priority
still rises). Breadth first, each visit pushed at most once, each shift changed at most once per
chain; positions are the cheapest in travel. Bounded by a deadline.
"""

import time
from collections import deque
from dataclasses import dataclass

from .schedule import Network


@dataclass(frozen=True, slots=True)
class _Node:
    visit: int  # the visit that needs a place
    parent: int  # index of the node that pushed it out (-1 for the root)
    shift: int  # the shift changed to make room for the parent's visit (-1 for the root)
    route: tuple[int, ...]  # that shift's new route


def _best_place(net: Network, shift: int, route: list[int], visit: int) -> list[int] | None:
    """`route` with `visit` at its cheapest feasible position, or None."""
    best: tuple[float, int] | None = None
    for pos in range(len(route) + 1):
        travel = net.travel(shift, [*route[:pos], visit, *route[pos:]])
        if travel is not None and (best is None or travel < best[0]):
            best = (travel, pos)
    if best is None:
        return None
    return [*route[: best[1]], visit, *route[best[1] :]]


def _apply(routes: list[list[int]], nodes: list[_Node], leaf: int) -> None:
    i = leaf
    while nodes[i].parent >= 0:
        routes[nodes[i].shift] = list(nodes[i].route)
        i = nodes[i].parent


def augment(net: Network, routes: list[list[int]], u: int, until: float) -> bool:
    """Serve the unserved visit `u` by one ejection chain, changing `routes` in place; False
    (routes untouched) when no chain gains served priority before `until` (perf_counter)."""
    nodes = [_Node(u, -1, -1, ())]
    seen = {u}
    queue = deque([0])
    drop: int | None = None  # the chain ending on the lowest-priority visit pushed out
    priority = net.visits[u].priority
    while queue:
        if time.perf_counter() >= until:
            return False
        i = queue.popleft()
        x = nodes[i].visit
        changed = set()
        j = i
        while nodes[j].parent >= 0:
            changed.add(nodes[j].shift)
            j = nodes[j].parent
        for k in net.options(x):
            if k in changed:
                continue
            route = routes[k]
            placed = _best_place(net, k, route, x)
            if placed is not None:
                nodes.append(_Node(-1, i, k, tuple(placed)))
                _apply(routes, nodes, len(nodes) - 1)
                return True
            for pos, w in enumerate(route):
                if w in seen:
                    continue
                placed = _best_place(net, k, route[:pos] + route[pos + 1 :], x)
                if placed is None:
                    continue
                seen.add(w)
                nodes.append(_Node(w, i, k, tuple(placed)))
                queue.append(len(nodes) - 1)
                pw = net.visits[w].priority
                if pw < priority and (drop is None or pw < net.visits[nodes[drop].visit].priority):
                    drop = len(nodes) - 1
    if drop is None:
        return False
    _apply(routes, nodes, drop)
    return True


def serve_more(net: Network, routes: list[list[int]], until: float) -> bool:
    """Ejection chains for every unserved visit that some shift could serve alone, highest
    priority first, until `until`; True if served priority rose."""
    served = {v for r in routes for v in r}
    left = sorted(
        (v for v in range(len(net.visits)) if v not in served and net.options(v)),
        key=lambda v: -net.visits[v].priority,
    )
    gained = False
    for u in left:
        if time.perf_counter() >= until:
            break
        if augment(net, routes, u, until):
            gained = True
    return gained
