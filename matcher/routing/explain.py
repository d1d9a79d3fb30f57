"""Why a visit stays unserved, in words a coordinator understands.

Reasons are tested in order, from the visit alone to the whole plan:
1. no shift is allowed to serve it;
2. no allowed shift can reach it inside its windows (even serving nothing else);
3. its demand exceeds the capacity of every allowed shift that can reach it in time;
4. a shift it is not allowed on could still fit it, but none of its own shifts has room;
5. otherwise the shifts that could serve it are full: fitting it in would push out visits
   of higher priority, of equal or higher priority, or (when no swap fits) it finds no room.
"""

from .schedule import EPS, Network, cheapest_insertion

NOT_ALLOWED = "no shift is allowed to serve it"
UNREACHABLE = "no shift can reach it inside its windows"
TOO_BIG = "its demand exceeds the capacity of every shift that can reach it in time"
NO_ROOM_ALLOWED = "not allowed on any shift that has room"
DISPLACED = "left out: serving it would displace higher-priority visits"
DISPLACED_EQUAL = "left out: the shifts that can reach it are full with visits of equal or higher priority"
NO_ROOM = "left out: no shift that can reach it has room left for it"


def reason(net: Network, routes: list[list[int]], visit: int) -> str:
    v = net.visits[visit]
    allowed = [k for k, s in enumerate(net.shifts) if v.allows(s.id)]
    if not allowed:
        return NOT_ALLOWED
    in_time = [k for k in net.in_time(visit) if v.allows(net.shifts[k].id)]
    if not in_time:
        return UNREACHABLE
    if all(0 < net.shifts[k].capacity < v.demand - EPS for k in in_time):
        return TOO_BIG
    others = [k for k in net.in_time(visit) if not v.allows(net.shifts[k].id)]
    if others and _fits_somewhere(net, routes, visit, others):
        return NO_ROOM_ALLOWED
    served_there = [net.visits[u].priority for k in in_time for u in routes[k]]
    if served_there and min(served_there) > v.priority:
        return DISPLACED
    if served_there and min(served_there) == v.priority:
        return DISPLACED_EQUAL
    return NO_ROOM


def _fits_somewhere(net: Network, routes: list[list[int]], visit: int, shifts: list[int]) -> bool:
    """Whether `visit` would fit on one of `shifts` (its allowed-shifts rule set aside; they can
    reach it in time)."""
    return cheapest_insertion(net, routes, visit, 0.0, shifts, check_allowed=False) is not None
