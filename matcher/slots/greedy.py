"""One mentor's proposals without a solver, with a bound that proves their counts.

Relaxation (`_days`): which assignment visits on which day, as a min-cost flow (OR-Tools):
each assignment on at most N days, once per day; each day at most the visits its daily limit and
its windows allow. An assignment's first slot weighs more than all further slots together, a
slot more than all costs, and a day costs what the assignment's earliest start there costs
alone. The relaxation ignores how one day's visits share the day (overlap, drive), so every
real answer is one of its flows, of at most the same weight: its optimum bounds the
assignments served, the slots and the cost.

Times (`_place`): each day's chosen assignments are placed in time order, each at its first
start after every earlier visit's end plus the drive between them (the left shift: for a given
order this is the earliest and cheapest placement, and it exists whenever any does), trying
every order of up to `ORDERS_UP_TO` visits. A day whose chosen visits do not all fit has its
capacity lowered to the most that fit and the flow is solved again (the plan is "repaired").
Then `_improve` moves single visits to cheaper days while it can (the counts stay).

A plan is settled when its assignments served and slots equal the bound's (proven optimal) and
no day was repaired; its cost is then within `cost - bound` of the optimum, and in practice
a few minutes of earliness at most. A repaired plan means some of the mentor's companies are too
far apart to share a day: which pairs share one is a genuinely combinatorial question, so the
exact model (`model.py`) decides, with the plan as its hint, as it does when the counts fall
short of the bound.
"""

from dataclasses import dataclass
from itertools import combinations, permutations

from .candidates import Horizon, MentorDays, Options

ORDERS_UP_TO = 4  # visits on one day whose every order is tried (4! = 24)
Tiers = tuple[int, int, int]  # (assignments served, slots, cost)


@dataclass(frozen=True, slots=True)
class Plan:
    starts: list[list[int]]  # per option, the chosen starts (minutes since the horizon origin)
    value: Tiers
    bound: Tiers  # served and slots at most, cost at least (for those counts)
    repaired: bool  # some day of the relaxation's optimum did not fit: pairing days is the problem

    @property
    def settled(self) -> bool:
        """Good enough without the exact model: the counts are proven optimal and no day had to
        be repaired (then the cost was always found within a few minutes of the optimum)."""
        return self.counts_proven and not self.repaired

    @property
    def counts_proven(self) -> bool:
        return self.value[:2] == self.bound[:2]

    @property
    def optimal(self) -> bool:
        return self.value == self.bound


def tiers(h: Horizon, opts: list[Options], starts: list[list[int]]) -> Tiers:
    cost = sum(h.cost(o, t) for o, ts in zip(opts, starts, strict=True) for t in ts)
    return sum(1 for ts in starts if ts), sum(len(ts) for ts in starts), cost


def plan(h: Horizon, opts: list[Options], days: MentorDays) -> Plan:
    """The proposals of one mentor's assignments (`opts`) on the mentor's `days`."""
    length = h.s.visit_minutes
    limit = {d: min(n, sum((hi - lo) // length for lo, hi in days.spans[d])) for d, n in days.cap.items()}
    cap = dict(limit)
    bound: Tiers | None = None
    repaired = False
    while True:
        by_day, value = _days(h, opts, cap)
        bound = bound or value
        placed: dict[int, list[tuple[int, int]]] = {}
        for d, chosen in by_day.items():
            day = _place(h, opts, d, chosen)
            if day is None:
                cap[d] = next(k for k in range(len(chosen) - 1, -1, -1) if _some_fit(h, opts, d, chosen, k))
                repaired = True
            else:
                placed[d] = day
        if len(placed) == len(by_day):
            break
    _improve(h, opts, limit, placed)
    starts: list[list[int]] = [[] for _ in opts]
    for day in placed.values():
        for i, t in day:
            starts[i].append(t)
    return Plan([sorted(ts) for ts in starts], tiers(h, opts, starts), bound, repaired)


def _improve(
    h: Horizon, opts: list[Options], cap: dict[int, int], placed: dict[int, list[tuple[int, int]]]
) -> None:
    """Moves single visits to other days while that lowers the cost (the counts stay): the
    latest first, each to the day where it saves most."""

    def cost(day: list[tuple[int, int]]) -> int:
        return sum(h.cost(opts[i], t) for i, t in day)

    def alone(i: int, d: int) -> int:  # the least option i can cost on day d
        return h.cost(opts[i], opts[i].earliest[d])

    days_of: list[set[int]] = [set() for _ in opts]
    for d, day in placed.items():
        for i, _ in day:
            days_of[i].add(d)
    moved = True
    while moved:
        moved = False
        for _, i, d in sorted(((t, i, d) for d, day in placed.items() for i, t in day), reverse=True):
            others = [j for j, _ in placed[d] if j != i]
            most = cost(placed[d]) - sum(alone(j, d) for j in others)  # the most taking it out saves
            targets = [
                e
                for e in opts[i].earliest
                if e not in days_of[i] and len(placed.get(e, ())) < cap[e] and alone(i, e) < most
            ]
            if not targets:
                continue
            rest = _place(h, opts, d, others)
            assert rest is not None  # fewer visits than a day that fits always fit
            saving = cost(placed[d]) - cost(rest)
            best: tuple[int, int, list[tuple[int, int]]] | None = None
            for e in targets:
                there = placed.get(e, [])
                joined = _place(h, opts, e, [j for j, _ in there] + [i]) if alone(i, e) < saving else None
                if joined is not None and (gain := saving - cost(joined) + cost(there)) > 0:
                    if best is None or gain > best[0]:
                        best = gain, e, joined
            if best is not None:
                placed[d], placed[best[1]] = rest, best[2]
                days_of[i] = (days_of[i] - {d}) | {best[1]}
                moved = True
                break


def _days(h: Horizon, opts: list[Options], cap: dict[int, int]) -> tuple[dict[int, list[int]], Tiers]:
    """The relaxation's optimum: per day the options visiting, and its (served, slots, cost)."""
    from ortools.graph.python import min_cost_flow

    wanted = [min(o.assignment.n_slots, len(o.earliest)) for o in opts]
    first_cost = [{d: h.cost(o, t) for d, t in o.earliest.items()} for o in opts]
    total = sum(wanted)
    slot_weight = total * max((c for fc in first_cost for c in fc.values()), default=0) + 1
    served_weight = slot_weight * (total + 1)
    day_node = {d: 2 + len(opts) + k for k, d in enumerate(cap)}
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs: list[tuple[int, int, int]] = []  # (option, day, arc) of the option -> day arcs
    for i, n in enumerate(wanted):
        if n:
            flow.add_arc_with_capacity_and_unit_cost(0, 2 + i, 1, -served_weight)
            if n > 1:
                flow.add_arc_with_capacity_and_unit_cost(0, 2 + i, n - 1, -slot_weight)
            for d, c in first_cost[i].items():
                arcs.append((i, d, flow.add_arc_with_capacity_and_unit_cost(2 + i, day_node[d], 1, c)))
    for d, node in day_node.items():
        flow.add_arc_with_capacity_and_unit_cost(node, 1, cap[d], 0)
    flow.add_arc_with_capacity_and_unit_cost(0, 1, total, 0)  # slots left unfilled
    flow.set_node_supply(0, total)
    flow.set_node_supply(1, -total)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("the slot relaxation's min-cost flow failed")
    by_day: dict[int, list[int]] = {}
    counts = [0] * len(opts)
    cost = 0
    for i, d, arc in arcs:
        if flow.flow(arc):
            by_day.setdefault(d, []).append(i)
            counts[i] += 1
            cost += first_cost[i][d]
    return by_day, (sum(1 for n in counts if n), sum(counts), cost)


def _place(h: Horizon, opts: list[Options], d: int, chosen: list[int]) -> list[tuple[int, int]] | None:
    """The cheapest placement of the `chosen` options' visits on day `d` (option, start), if any."""
    length = h.s.visit_minutes
    if len(chosen) <= ORDERS_UP_TO:
        orders: list[tuple[int, ...]] = list(permutations(chosen))
    else:
        orders = [tuple(sorted(chosen, key=lambda i: opts[i].earliest[d]))]
    best: tuple[int, list[tuple[int, int]]] | None = None
    for order in orders:
        placed: list[tuple[int, int]] = []
        for i in order:
            after = max(
                (t + length + h.travel(opts[j].company, opts[i].company) for j, t in placed), default=None
            )
            start = opts[i].first(d, after)
            if start is None:
                break
            placed.append((i, start))
        else:
            cost = sum(h.cost(opts[i], t) for i, t in placed)
            if best is None or cost < best[0]:
                best = cost, placed
    return None if best is None else best[1]


def _some_fit(h: Horizon, opts: list[Options], d: int, chosen: list[int], k: int) -> bool:
    """Whether some `k` of the `chosen` options' visits fit on day `d` together."""
    return any(_place(h, opts, d, list(some)) is not None for some in combinations(chosen, k))
