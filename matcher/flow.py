"""Exact capacitated assignment by min-cost flow, with certified pruning.

Model (built in `_flow_model`, read in `_read_flow`): source -> company (capacity 1) -> mentor
(cost -score) -> sink (residual capacity), plus one source -> sink arc for companies left
unassigned. With `slots` (params.min_load), a mentor's first `slots` units earn an extra `bonus`,
which makes "fill as many min-load slots as possible" the first goal.

Certified pruning (`optimize`): solve on each company's best K pairs, then compute dual prices
of that restricted optimum -- u[c] for companies, pi[m] for mentors -- and scan every allowed pair:
if none has positive reduced score s - u[c] - pi[m], the prices prove the restricted optimum is
optimal for all pairs (no improving cycle can use a left-out pair). Otherwise the violating pairs
(and near-violating ones) are added and the flow is solved again -- but only on the pairs near
the current prices (reduced score >= -KEEP), the chosen pairs and the added ones, which is
usually all an improving cycle needs. That flow is warm-started from the current prices. The
prices of its answer on those pairs also certify it on the whole model when every model pair
keeps u + pi >= s; otherwise the smaller pair set becomes the model. SimpleMinCostFlow does not
expose its potentials, so the prices are computed here (see `prices`: a Bellman-Ford-like fixed
point on the residual graph, vectorized over the pairs) and checked afterwards; the final dual
value must equal the objective.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast, overload

import numpy as np

from .arrays import BoolArray, Indices, IntArray, IntegerArray
from .parallel import Workers, chunk_runs, map_blocks

if TYPE_CHECKING:
    from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

# (u per company, pi per mentor): dual prices; with a clip, a warm start for the flow
Prices = tuple[IntArray, IntArray]
Warm = tuple[IntArray, IntArray, int]
# flat pairs (company, mentor, score, block, flat index in the block)
Pairs = tuple[Indices, Indices, IntegerArray, Indices, Indices]

INF = np.int64(1) << 60
FIRST_PER_COMPANY = 100  # the first flow keeps at most this many pairs per company (best scores)
SMALL_PAIRS = 200_000  # below this many candidate pairs one flow over all of them is fastest
KEEP = 150  # model pairs with reduced score >= -KEEP go into the next round's flow
KEEP_PER_COMPANY = 12  # ... and of those, each company's 12 with the highest reduced score
KEEP_MIN = 40  # ... from round 3 on: twice the typical violation, at least KEEP_MIN
CHECK_PASSES = 300  # price passes before a warm-started answer counts as cut off by its clipping
CLIP_MIN = 100  # warm-started flows clip reduced costs to twice the largest violation, at least this


@dataclass
class ScoreBlock:
    rows: Indices  # company indices
    cols: Indices  # mentor indices
    score: IntegerArray  # int (rows x cols), > 0 for usable pairs, 0 otherwise
    weight: IntegerArray  # per row: the company's priority (score / weight ranks a mentor's options)


@dataclass
class FlowResult:
    mentor_of: IntArray  # per company: chosen mentor or -1
    score: int  # sum of the chosen pairs' scores (without slot bonuses)
    slots_filled: int  # min-load slots filled (0 without min_load)
    rounds: int  # flow solves
    pairs_used: int  # pairs given to the flow in the last round
    dual_bound: int | None  # sum u + sum cap*pi: upper bound on score (only without slots)


class _Capacities:
    """Residual capacity `cap` and min-load `slots` per mentor, with the per-unit prices they imply."""

    def __init__(self, cap: IntegerArray, slots: IntegerArray | None, bonus: int):
        self.cap = cap.astype(np.int64)
        self.slots = np.zeros_like(self.cap) if slots is None else np.minimum(slots, self.cap)
        self.bonus = np.int64(bonus)

    def unit_price(self, j: IntArray) -> IntArray:
        """Cost of a mentor's j-th unit (1-based): -bonus inside its slots, else 0."""
        return np.where(j <= self.slots, -self.bonus, 0)

    def price_range(self, load: IntArray) -> tuple[IntArray, IntArray]:
        lower = np.where(self.cap > 0, self.unit_price(np.maximum(load, 1)), INF)
        upper = np.where(load < self.cap, self.unit_price(load + 1), INF)
        return lower, upper


def _relabel(x: Indices) -> tuple[Indices, IntArray]:
    """Like np.unique(x, return_inverse=True) for small non-negative ints, without sorting."""
    present = np.zeros(int(x.max()) + 1, dtype=bool)
    present[x] = True
    nodes = np.flatnonzero(present)
    local = np.zeros(len(present), dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    return nodes, local[x]


def _flow_model(
    c: Indices, m: Indices, s: IntegerArray, caps: _Capacities, warm: Warm | None = None
) -> "SimpleMinCostFlow":
    from ortools.graph.python import min_cost_flow

    comp_nodes, c_local = _relabel(c)
    ment_nodes, m_local = _relabel(m)
    nc, nm = len(comp_nodes), len(ment_nodes)
    source, sink, c0, m0 = 0, 1, 2, 2 + nc
    cap, slots = caps.cap[ment_nodes], caps.slots[ment_nodes]
    has_slots = np.flatnonzero(slots > 0)
    # arcs, in this order: pairs, source -> company, mentor -> sink (beyond the min-load slots),
    # mentor -> sink (the slots), source -> sink (companies left unassigned)
    ends = np.cumsum([len(c), nc, nm, len(has_slots), 1]).tolist()
    pair, src, snk, slot, _ = (slice(a, b) for a, b in zip([0, *ends], ends, strict=False))
    tails = np.empty(ends[-1], dtype=np.int32)
    heads = np.empty(ends[-1], dtype=np.int32)
    capacity = np.ones(ends[-1], dtype=np.int64)
    cost = np.zeros(ends[-1], dtype=np.int64)
    tails[pair], heads[pair] = c_local + c0, m_local + m0
    tails[src], heads[src] = source, np.arange(c0, c0 + nc)
    tails[snk], heads[snk] = np.arange(m0, m0 + nm), sink
    tails[slot], heads[slot] = has_slots + m0, sink
    tails[-1], heads[-1] = source, sink
    capacity[snk], capacity[slot], capacity[-1] = cap - slots, slots[has_slots], nc
    if warm is None:
        np.negative(s, out=cost[pair])
        cost[slot] = -caps.bonus
    else:  # node potentials: company -u, mentor pi; then clipped (see solve_pairs)
        u, pi, clip = warm
        pi_m = np.clip(pi[ment_nodes], -INF // 2, INF // 2)
        np.minimum(u[c] + pi_m[m_local] - s, clip, out=cost[pair])  # violations stay exact
        cost[src] = np.maximum(-u[comp_nodes], -clip)
        cost[snk] = np.clip(-pi_m, -clip, clip)
        cost[slot] = np.clip(-caps.bonus - pi_m[has_slots], -clip, clip)
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, capacity, cost)
    smcf.set_nodes_supplies(np.array([source, sink], dtype=np.int32), np.array([nc, -nc]))
    return smcf


def _read_flow(smcf: "SimpleMinCostFlow", c: Indices, m: Indices, n_companies: int) -> IntArray:
    flows = smcf.flows(np.arange(len(c), dtype=np.int32))
    chosen = flows > 0
    mentor_of = np.full(n_companies, -1, dtype=np.int64)
    mentor_of[c[chosen]] = m[chosen]
    return mentor_of


def solve_pairs(
    c: Indices, m: Indices, s: IntegerArray, n_companies: int, caps: _Capacities, warm: Warm | None = None
) -> IntArray:
    """Optimal assignment over the given pairs only; returns mentor per company (-1 = none).

    `warm` = (u, pi, clip) warm-starts the flow with the prices of a nearby answer: arc costs
    become reduced costs under those prices (same optimum), clipped to +-clip (the violations of
    the prices, the negative pair costs, stay exact). The cost scaling then runs over a range of
    `clip` instead of the whole score range (about a third faster). The clipping is exact only
    while the optimal prices move by less than `clip`, so a warm answer must be certified by
    `prices` (see `_certified`)."""
    if len(c) == 0:
        return np.full(n_companies, -1, dtype=np.int64)
    smcf = _flow_model(c, m, s, caps, warm)
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return _read_flow(smcf, c, m, n_companies)


def _certified(
    c: Indices, m: Indices, s: IntegerArray, n_companies: int, caps: _Capacities, warm: Warm
) -> tuple[IntArray, Prices]:
    """Optimum over the given pairs and the prices that certify it: solved with the warm start,
    and again without it when the clipping cut off the optimum (no prices fit that answer)."""
    mentor_of = solve_pairs(c, m, s, n_companies, caps, warm)
    found = prices(c, m, s, mentor_of, caps, max_iter=CHECK_PASSES)
    if found is None:
        mentor_of = solve_pairs(c, m, s, n_companies, caps)
        found = prices(c, m, s, mentor_of, caps)
    return mentor_of, found


def _segments(keys: Indices) -> tuple[Indices, Indices, Indices]:
    """Order that sorts `keys`, start of each run of equal keys, and the key of each run."""
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]]) if len(k) else np.zeros(0, dtype=np.int64)
    return order, starts, k[starts]


@overload
def prices(
    c: Indices, m: Indices, s: IntegerArray, mentor_of: IntArray, caps: _Capacities, max_iter: None = None
) -> Prices: ...
@overload
def prices(
    c: Indices, m: Indices, s: IntegerArray, mentor_of: IntArray, caps: _Capacities, max_iter: int
) -> Prices | None: ...
def prices(
    c: Indices,
    m: Indices,
    s: IntegerArray,
    mentor_of: IntArray,
    caps: _Capacities,
    max_iter: int | None = None,
) -> Prices | None:
    """Dual prices (u per company, pi per mentor) proving `mentor_of` optimal on the given pairs.

    Of all such prices these are the greatest pi (hence smallest u), which makes the reduced
    score s - u[c] - pi[m] of every left-out pair as small as it can be: the strongest certificate.
    Found as the greatest fixed point of
        need[c] = max(0, max over c's other pairs (s[c, m'] - pi[m']))
        pi[m]   = min(upper[m], min over companies c held by m (s[c, m] - need[c])),
    iterating down from the top; each step is a pass over the pairs.

    With `max_iter`, returns None instead of raising when no prices are found within that many
    passes (a quick test of an answer that may not be optimal). The iterates only go down, so
    a price below its lower end, or below the score of an unassigned company's pair, ends the
    search at once: no prices fit then.
    """
    n, n_m = len(mentor_of), len(caps.cap)
    load = np.bincount(mentor_of[mentor_of >= 0], minlength=n_m)
    lower, upper = caps.price_range(load)
    chosen = mentor_of[c] == m
    held_c, held_m, held_s = c[chosen], m[chosen], s[chosen]
    other = ~chosen
    oc, om, os_ = c[other], m[other], s[other]
    c_order, c_starts, c_keys = _segments(oc)
    oc_m, oc_s = om[c_order], os_[c_order]
    m_order, m_starts, m_keys = _segments(held_m)
    hm_c, hm_s = held_c[m_order], held_s[m_order]
    free_pair = mentor_of[oc] < 0  # pairs of unassigned companies: need pi[m] >= s
    fm, fs = om[free_pair], os_[free_pair]
    pi = upper.copy()
    need = np.zeros(n, dtype=np.int64)
    chunks = chunk_runs(c_starts, len(oc_s))  # the company side, on two threads when large

    # `need` of one chunk's companies (chunks write disjoint entries)
    def company_need(chunk: tuple[int, int, int, int]) -> None:
        r0, r1, e0, e1 = chunk
        best = np.maximum.reduceat(oc_s[e0:e1] - pi[oc_m[e0:e1]], c_starts[r0:r1] - e0)
        need[c_keys[r0:r1]] = np.maximum(best, 0)

    limit = n + n_m + 2 if max_iter is None else max_iter
    with Workers(len(chunks)) as workers:
        for _ in range(limit):
            need[:] = 0
            if len(c_starts):
                workers.map(company_need, chunks)
            new_pi = upper.copy()
            if len(m_starts):
                new_pi[m_keys] = np.minimum(upper[m_keys], np.minimum.reduceat(hm_s - need[hm_c], m_starts))
            if np.array_equal(new_pi, pi):
                break
            pi = new_pi
            if max_iter is not None and ((pi < lower).any() or (pi[fm] < fs).any()):
                return None
        else:
            if max_iter is not None:
                return None
            raise RuntimeError("dual prices did not converge: the flow answer is not optimal")
    u = np.zeros(n, dtype=np.int64)
    u[held_c] = held_s - pi[held_m]
    if (pi < lower).any() or (u < 0).any() or (u[c] + pi[m] < s).any():
        if max_iter is not None:
            return None
        raise RuntimeError("no dual prices fit: the flow answer is not optimal")
    return u, pi


def _take(blocks: list[ScoreBlock], masks: list[BoolArray]) -> Pairs:
    """Pairs selected by per-block masks, as flat arrays: company, mentor, score, and where each
    pair sits (block, flat index in the block)."""
    cs: list[Indices] = []
    ms: list[Indices] = []
    ss: list[IntegerArray] = []
    bs: list[Indices] = []
    fs: list[Indices] = []
    for i, (b, mask) in enumerate(zip(blocks, masks, strict=True)):
        flat = np.flatnonzero(mask)
        r, j = np.divmod(flat, b.score.shape[1])
        cs.append(b.rows[r])
        ms.append(b.cols[j])
        ss.append(b.score.flat[flat].astype(np.int64))
        bs.append(np.full(len(flat), i, dtype=np.int64))
        fs.append(flat)
    if not cs:
        return cast(Pairs, tuple(np.zeros(0, dtype=np.int64) for _ in range(5)))
    return cast(Pairs, tuple(np.concatenate(x) for x in (cs, ms, ss, bs, fs)))


def _masks(blocks: list[ScoreBlock], blk: Indices, flat: Indices) -> list[BoolArray]:
    masks = [np.zeros(b.score.shape, dtype=bool) for b in blocks]
    order = np.argsort(blk, kind="stable")
    bounds = np.searchsorted(blk[order], np.arange(len(blocks) + 1))
    for i, mask in enumerate(masks):
        mask.flat[flat[order[bounds[i] : bounds[i + 1]]]] = True
    return masks


def _initial_masks(blocks: list[ScoreBlock], k: int, per_mentor: int) -> list[BoolArray]:
    """Each company's k best-scoring pairs and each mentor's `per_mentor` best-fitting companies
    (per block, ranked by score / priority, i.e. fit and distance): the company side finds good
    pairs, the mentor side makes sure every mentor, also a remote one, has candidates to fill
    its capacity (ranking by score would give every mentor the same high-priority companies)."""

    def one(b: ScoreBlock) -> BoolArray:
        return (_at_least_kth(b.score, k, 1) | _at_least_kth(b.score // b.weight[:, None], per_mentor, 0)) & (
            b.score > 0
        )

    return map_blocks(one, blocks, [b.score.size for b in blocks])


def _at_least_kth(score: IntegerArray, k: int, axis: int) -> BoolArray:
    """Entries at least as good as the k-th best along `axis` (the k best, plus ties)."""
    size = score.shape[axis]
    if size <= k or score.size == 0:
        return np.ones(score.shape, dtype=bool)
    kth = np.partition(score, size - k, axis=axis).take([size - k], axis=axis)
    return score >= kth


def _rank_within(keys: Indices, order_key: IntegerArray) -> tuple[Indices, Indices]:
    """Order sorting by `keys` (non-negative), then by `order_key` descending; and each element's
    rank in its group. One argsort of a combined key when it fits in int64 (4x faster than
    lexsort); ties within a group come out in a fixed, input-determined order."""
    hi = int(order_key.max(initial=0))
    span = hi - int(order_key.min(initial=0)) + 1
    if len(keys) and int(keys.max()) < (1 << 62) // span:
        order = np.argsort(keys * span + (hi - order_key))
    else:
        order = np.lexsort((-order_key, keys))
    k = keys[order]
    first = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    rank = np.arange(len(k)) - np.repeat(first, np.diff(np.r_[first, len(k)]))
    return order, rank


def _violation_masks(
    blocks: list[ScoreBlock],
    in_model: list[BoolArray],
    u: IntArray,
    pi: IntArray,
    per_company: int,
    per_mentor: int,
    near: int = 0,
) -> list[BoolArray] | None:
    """Left-out pairs to add, or None when no left-out pair has a positive reduced score
    s - u - pi (then the prices certify optimality over all pairs). For each company with a
    left-out pair of reduced score > -near: its `per_company` best such pairs (violating ones
    first, near-violating ones tend to violate after the next solve); for each mentor its
    `per_mentor` worst violations in each block. One dense pass per block (a subtraction and a
    comparison, in int32 when the numbers fit), the rest on the few pairs it finds."""
    finite = pi[np.abs(pi) < INF // 2]  # INF (no room) becomes 2**30: still never a candidate
    small = max(int(np.abs(u).max(initial=0)), int(np.abs(finite).max(initial=0))) < 2**29
    dtype: type[np.signedinteger[Any]] = np.int32 if small else np.int64
    uu = u.astype(dtype)
    pp = np.clip(pi, -(2**30), 2**30).astype(dtype) if small else pi

    def one(item: tuple[ScoreBlock, BoolArray]) -> tuple[BoolArray, bool]:
        b, known = item
        reduced = b.score.astype(dtype, copy=False) - uu[b.rows][:, None]
        reduced -= pp[b.cols][None, :]
        r, j = np.nonzero(reduced > -near)
        ok = (b.score[r, j] > 0) & ~known[r, j]
        r, j = r[ok], j[ok]
        mask = np.zeros(b.score.shape, dtype=bool)
        found = False
        if len(r):
            red = reduced[r, j].astype(np.int64)
            viol = red > 0
            found = bool(viol.any())
            top = _top_per_group(r, red, per_company)
            mask[r[top], j[top]] = True
            vr, vj, vred = r[viol], j[viol], red[viol]
            top = _top_per_group(vj, vred, per_mentor)
            mask[vr[top], vj[top]] = True
        return mask, found

    out = map_blocks(one, list(zip(blocks, in_model, strict=True)), [b.score.size for b in blocks])
    return [mask for mask, _ in out] if any(found for _, found in out) else None


def _top_per_group(keys: Indices, score: IntegerArray, per_group: int) -> BoolArray:
    """Mask of the `per_group` elements with the highest `score` in each group of equal `keys`
    (e.g. each company's best pairs)."""
    order, rank = _rank_within(keys, score)
    mask = np.zeros(len(keys), dtype=bool)
    mask[order[rank < per_group]] = True
    return mask


def _near_price_pairs(
    c: Indices, reduced: IntegerArray, held: BoolArray, margin: int, per_company: int
) -> BoolArray:
    """Which model pairs go into a round's flow: the chosen ones, and each company's
    `per_company` pairs of highest reduced score among those within `margin` of the prices.
    The prices are highly degenerate (about 20 pairs per company lie within 40 of tight), so the
    cap per company halves the flow at no cost in rounds."""
    near = np.flatnonzero(~held & (reduced >= -margin))
    sel = held.copy()
    sel[near[_top_per_group(c[near], reduced[near], per_company)]] = True
    return sel


def _violations(new: Pairs, u: IntArray, pi: IntArray) -> IntegerArray:
    """Positive reduced scores s - u - pi of the pairs just added (how far the prices are off)."""
    red = new[2] - u[new[0]] - pi[new[1]]
    return red[red > 0]


def _margin(violation: IntegerArray, keep: int, keep_min: int, rounds: int) -> int:
    """Reduced-score margin of the model pairs that go into this round's flow: `keep` in round 2,
    later twice the 90th percentile of the violations, clamped to [keep_min, keep]."""
    if rounds <= 2:
        return keep
    typical = int(np.percentile(violation, 90)) if len(violation) else 0
    return min(keep, max(keep_min, 2 * typical))


def optimize(
    blocks: list[ScoreBlock],
    n_companies: int,
    cap: IntegerArray,
    slots: IntegerArray | None = None,
    bonus: int = 0,
    k: int = 6,
    per_mentor: int = 12,
    add_per_company: int = 16,
    add_per_mentor: int = 16,
    exhaustive_below: int = SMALL_PAIRS,
    near: int = 20,
    keep: int = KEEP,
    shrink_rounds: int = 8,
    keep_min: int = KEEP_MIN,
    clip_min: int = CLIP_MIN,
    keep_per_company: int = KEEP_PER_COMPANY,
    first_per_company: int = FIRST_PER_COMPANY,
) -> FlowResult:
    """Proven-optimal assignment over all pairs of `blocks` by certified pruning (see module doc);
    with fewer than `exhaustive_below` pairs in the blocks, one flow over all of them.

    The first flow gets each company's `k` best pairs and each mentor's `per_mentor`
    best-fitting companies per block, at most `first_per_company` pairs per company (the best).
    Each round after the first solves the flow only on the pairs near the current prices
    (reduced score >= -keep, at most `keep_per_company` per company, those of highest reduced
    score), the chosen pairs and the added ones. The prices of that answer certify it on the
    whole model when every model pair keeps u + pi >= s (then they are also the model's
    greatest prices, since the model only adds constraints); otherwise the smaller pair set
    becomes the model. Either way the model's prices certify its optimum, and the scan of every
    pair outside it decides whether another round is needed. After `shrink_rounds` rounds the
    model only grows, so the rounds end.

    The first round's prices are far off, so round 2 keeps the pairs within `keep`. From round 3
    on the prices have mostly settled and the margin follows the violations just found: twice
    their 90th percentile, between `keep_min` and `keep` (exactness does not depend on it).

    Rounds after the first warm-start the flow with the current prices (`solve_pairs`), clipping
    the reduced costs to twice the largest violation, at least `clip_min`; an answer the clipping
    made suboptimal fails its price test and is solved again cold."""
    caps = _Capacities(cap, slots, bonus)  # pairs with mentors of no capacity stay: dead arcs,
    # and their price INF keeps them out of every violation (zeroing them copied 74% of the blocks)
    if sum(b.score.size for b in blocks) < exhaustive_below:
        in_model = [b.score > 0 for b in blocks]
        c, m, s, blk, flat = _take(blocks, in_model)
    else:  # popular companies get picked by hundreds of mentors: keep their best pairs only
        first = _take(blocks, _initial_masks(blocks, k, per_mentor))
        kept = _top_per_group(first[0], first[2], first_per_company)
        c, m, s, blk, flat = (x[kept] for x in first)
        in_model = _masks(blocks, blk, flat)
    mentor_of = solve_pairs(c, m, s, n_companies, caps)
    rounds = 1
    u, pi = prices(c, m, s, mentor_of, caps)
    while True:
        more = _violation_masks(blocks, in_model, u, pi, add_per_company, add_per_mentor, near)
        if more is None:
            break
        rounds += 1
        new = _take(blocks, more)
        violation = _violations(new, u, pi)
        warm = (u, pi, max(clip_min, 2 * int(violation.max(initial=0))))
        if rounds <= shrink_rounds:
            held = mentor_of[c] == m
            sel = _near_price_pairs(
                c, s - u[c] - pi[m], held, _margin(violation, keep, keep_min, rounds), keep_per_company
            )
            sub = [np.concatenate([x[sel], y]) for x, y in zip((c, m, s, blk, flat), new, strict=True)]
            mentor_of, (u, pi) = _certified(sub[0], sub[1], sub[2], n_companies, caps, warm)
        for known, add in zip(in_model, more, strict=True):
            known |= add
        c, m, s, blk, flat = (np.concatenate([x, y]) for x, y in zip((c, m, s, blk, flat), new, strict=True))
        if rounds > shrink_rounds:
            mentor_of, (u, pi) = _certified(c, m, s, n_companies, caps, warm)
        elif (u[c] + pi[m] < s).any():  # the sub's prices do not cover the model: shrink the model
            c, m, s, blk, flat = sub
            in_model = _masks(blocks, blk, flat)
    chosen = mentor_of[c] == m
    score = int(s[chosen].sum())
    load = np.bincount(mentor_of[mentor_of >= 0], minlength=len(caps.cap))
    filled = int(np.minimum(load, caps.slots).sum())
    dual = None
    if slots is None:
        dual = int(u.sum() + (caps.cap * np.where(caps.cap > 0, pi, 0)).sum())
        if dual != score:
            raise RuntimeError(f"duality gap {dual - score}: the flow answer is not optimal")
    return FlowResult(mentor_of, score, filled, rounds, len(c), dual)
