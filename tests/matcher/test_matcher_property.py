"""Property-based: on random small instances the answer keeps every hard rule and its objective
equals the brute-force optimum; certified pruning with tiny candidate lists stays exact."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matcher_helpers import brute_force, check_hard_rules

import matcher
from matcher import flow, pairs, solver
from matcher.validation import parse_or_raise

CODES = ["C25", "C29", "C30"]
PLACES = [(35.82, 127.15), (35.97, 126.74), (35.42, 127.39), (36.01, 127.66), (37.57, 126.98)]


@st.composite
def instances(draw, max_companies=6, max_mentors=3):
    n_m = draw(st.integers(0, max_mentors))
    n_c = draw(st.integers(0, max_companies))
    jitter = st.floats(-0.3, 0.3, allow_nan=False)
    mentors = []
    for j in range(n_m):
        lat, lon = draw(st.sampled_from(PLACES))
        inds = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True))
        mentors.append(
            {
                "id": f"m{j}",
                "lat": lat + draw(jitter),
                "lon": lon + draw(jitter),
                "capacity": draw(st.integers(0, 3)),
                "industries": {c: draw(st.integers(1, 100)) for c in inds},
                "exclude": [],
            }
        )
    companies = []
    for i in range(n_c):
        lat, lon = draw(st.sampled_from(PLACES))
        companies.append(
            {
                "id": f"c{i}",
                "lat": lat + draw(jitter),
                "lon": lon + draw(jitter),
                "industry": draw(st.sampled_from(CODES)),
                "priority": draw(st.integers(1, 5)),
                "municipality": draw(st.sampled_from(["A", "B", "C", None])),
            }
        )
    for m in mentors:
        if companies and draw(st.booleans()):
            m["exclude"] = [draw(st.sampled_from(companies))["id"]]
    room = {m["id"]: m["capacity"] for m in mentors}
    for c in companies:
        ok = [
            m
            for m in mentors
            if c["industry"] in m["industries"] and c["id"] not in m["exclude"] and room[m["id"]] > 0
        ]
        if ok and draw(st.integers(0, 4)) == 0:
            m = draw(st.sampled_from(ok))
            c["pinned_mentor"] = m["id"]
            room[m["id"]] -= 1
    return {
        "version": 1,
        "mentors": mentors,
        "companies": companies,
        "params": {"max_distance_km": draw(st.sampled_from([30, 80, 250]))},
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_optimal_and_valid(inst):
    result = matcher.solve(inst)
    check_hard_rules(inst, result)
    assert result["status"] == "OPTIMAL"
    assert result["objective"] == result["bound"] == brute_force(inst)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_companies=40, max_mentors=12), st.integers(1, 3), st.integers(1, 100))
def test_certified_pruning_matches_full_model(inst, k, first_per_company):
    """Tiny candidate lists (also cut to a few per company) force several rounds of adding
    violating pairs; the result must still equal the optimum over all pairs."""
    instance = parse_or_raise(inst)
    model = pairs.build(instance)
    blocks = solver._score_blocks(model, instance, {m.id: j for j, m in enumerate(instance.mentors)}, 0)
    cap = np.array([m.capacity for m in instance.mentors], dtype=np.int64)
    cap -= np.bincount(model.pinned[model.pinned >= 0], minlength=len(cap))
    n = len(instance.companies)
    pruned = flow.optimize(
        blocks,
        n,
        cap,
        k=k,
        per_mentor=k,
        add_per_company=1,
        add_per_mentor=1,
        exhaustive_below=0,
        first_per_company=first_per_company,
    )
    full = flow.optimize(blocks, n, cap)
    assert full.rounds == 1
    assert pruned.score == full.score == pruned.dual_bound


def _plain_blocks(inst):
    instance = parse_or_raise(inst)
    model = pairs.build(instance)
    blocks = solver._score_blocks(model, instance, {m.id: j for j, m in enumerate(instance.mentors)}, 0)
    cap = np.array([m.capacity for m in instance.mentors], dtype=np.int64)
    cap -= np.bincount(model.pinned[model.pinned >= 0], minlength=len(cap))
    return blocks, len(instance.companies), cap


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    instances(max_companies=40, max_mentors=12),
    st.integers(1, 3),
    st.integers(0, 40),
    st.integers(1, 6),
    st.integers(1, 12),
)
def test_rounds_on_pairs_near_the_prices_match_full_model(inst, k, keep, shrink_rounds, per_company):
    """Rounds that solve only the pairs near the prices (keep 0 or one pair per company drops
    nearly all of them, so the answer's prices do not cover the model and it shrinks), then only
    grow: still the optimum over all pairs."""
    blocks, n, cap = _plain_blocks(inst)
    pruned = flow.optimize(
        blocks,
        n,
        cap,
        k=k,
        per_mentor=k,
        add_per_company=1,
        add_per_mentor=1,
        exhaustive_below=0,
        near=0,
        keep=keep,
        shrink_rounds=shrink_rounds,
        keep_per_company=per_company,
    )
    full = flow.optimize(blocks, n, cap)
    assert pruned.score == full.score == pruned.dual_bound == full.dual_bound


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    instances(max_companies=40, max_mentors=12), st.integers(1, 3), st.integers(0, 150), st.integers(0, 30)
)
def test_rounds_with_margin_from_the_violations_match_full_model(inst, k, keep, keep_min):
    """From round 3 on the margin follows the violations just found (clamped to
    [keep_min, keep]); whatever it is, the answer is the optimum over all pairs."""
    blocks, n, cap = _plain_blocks(inst)
    pruned = flow.optimize(
        blocks,
        n,
        cap,
        k=k,
        per_mentor=k,
        add_per_company=1,
        add_per_mentor=1,
        exhaustive_below=0,
        near=0,
        keep=keep,
        keep_min=keep_min,
    )
    full = flow.optimize(blocks, n, cap)
    assert pruned.score == full.score == pruned.dual_bound == full.dual_bound


def test_near_price_pairs_keep_the_chosen_ones_and_the_best_per_company():
    c = np.array([0, 0, 0, 0, 1, 1])
    reduced = np.array([0, -5, -1, -50, 0, -3])
    held = np.array([True, False, False, False, False, False])
    sel = flow._near_price_pairs(c, reduced, held, margin=10, per_company=1)
    assert sel.tolist() == [True, False, True, False, True, False]
    sel = flow._near_price_pairs(c, reduced, held, margin=10, per_company=2)
    assert sel.tolist() == [True, True, True, False, True, True]  # -50 is beyond the margin


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(-(2**60), 2**60)), max_size=60), st.booleans())
def test_rank_within_groups(items, wide):
    """Ranks within each key by descending order key, with the combined-key sort and with the
    lexsort used when the combined key would overflow."""
    keys = np.array([k for k, _ in items], dtype=np.int64)
    order_key = np.array([v if wide else v % 100 for _, v in items], dtype=np.int64)
    order, rank = flow._rank_within(keys, order_key)
    assert sorted(order.tolist()) == list(range(len(items)))
    for pos, i in enumerate(order):
        same = order_key[keys == keys[i]]
        assert rank[pos] >= np.count_nonzero(same > order_key[i])
        assert rank[pos] <= np.count_nonzero(same >= order_key[i]) - 1


def test_margin_follows_the_violations():
    c = np.array([0, 1, 2, 3])
    m = np.array([0, 0, 1, 1])
    u = np.zeros(4, dtype=np.int64)
    pi = np.array([100, 100])
    violation = flow._violations((c, m, np.array([110, 105, 300, 90])), u, pi)
    assert sorted(violation) == [5, 10, 200]  # the last pair does not violate
    assert flow._margin(violation, keep=150, keep_min=0, rounds=2) == 150
    assert flow._margin(violation, keep=150, keep_min=0, rounds=3) == 150  # 2 * 90th pct > keep
    small = flow._violations((c, m, np.array([110, 105, 120, 90])), u, pi)
    assert flow._margin(small, 150, 0, 3) == 2 * 18
    assert flow._margin(small, 150, 40, 3) == 40
    none = flow._violations((c, m, np.array([1, 1, 1, 1])), u, pi)
    assert flow._margin(none, 150, 40, 5) == 40


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_companies=40, max_mentors=12), st.integers(1, 3), st.integers(0, 3), st.booleans())
def test_warm_started_rounds_with_tiny_clips_match_full_model(inst, k, clip_min, slots_on):
    """Warm-started flows clip reduced costs; a clip far too small (0-3) makes their answers
    suboptimal, which the price test must catch (then a cold solve): still the exact optimum."""
    blocks, n, cap = _plain_blocks(inst)
    slots = np.minimum(cap, 1) if slots_on else None
    bonus = 1 + sum(int(b.score.max(axis=1).sum()) for b in blocks if b.score.size)
    pruned = flow.optimize(
        blocks,
        n,
        cap,
        slots,
        bonus,
        k=k,
        per_mentor=k,
        add_per_company=1,
        add_per_mentor=1,
        exhaustive_below=0,
        near=0,
        clip_min=clip_min,
    )
    full = flow.optimize(blocks, n, cap, slots, bonus)
    assert (pruned.slots_filled, pruned.score) == (full.slots_filled, full.score)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 8), st.integers(1, 4), st.integers(0, 2**32 - 1), st.integers(0, 60), st.booleans())
def test_certified_answer_is_optimal_whatever_the_warm_prices(nc, nm, seed, clip, slots_on):
    """Any warm prices and clip: `_certified` returns the optimum of the pairs (a warm answer
    cut off by the clipping is solved again cold) with prices that prove it."""
    rng = np.random.default_rng(seed)
    c, m = np.repeat(np.arange(nc), nm), np.tile(np.arange(nm), nc)
    keep = rng.random(len(c)) < 0.8
    c, m = c[keep], m[keep]
    s = rng.integers(1, 30, len(c)) * 10
    cap = rng.integers(1, 3, nm)
    slots = np.minimum(cap, 1) if slots_on else None
    caps = flow._Capacities(cap, slots, 1 + int(s.sum()) if slots_on else 0)
    warm = (rng.integers(0, 300, nc), rng.integers(-50, 300, nm), clip)
    cold = flow.solve_pairs(c, m, s, nc, caps)
    mentor_of, (u, pi) = flow._certified(c, m, s, nc, caps, warm)

    def value(mo):
        load = np.bincount(mo[mo >= 0], minlength=nm)
        return int(np.minimum(load, caps.slots).sum()), int(s[mo[c] == m].sum())

    assert value(mentor_of) == value(cold)
    assert (u >= 0).all() and (u[c] + pi[m] >= s).all()


def test_clipped_warm_start_is_caught_and_solved_cold(monkeypatch):
    """A warm start whose clipping cuts off the optimum: the answer is found suboptimal by the
    price test and solved again without the warm start."""
    # three companies, two mentors of capacity 1, warm prices far from the optimal ones
    c, m = np.array([0, 0, 1, 1, 2, 2]), np.array([0, 1, 0, 1, 0, 1])
    s = np.array([130, 10, 80, 170, 110, 10])
    caps = flow._Capacities(np.array([1, 1]), None, 0)
    warm_start = (np.array([152, 145, 169]), np.array([35, 17]), 1)
    warm = flow.solve_pairs(c, m, s, 3, caps, warm_start)
    assert s[warm[c] == m].sum() == 280  # the clipping cut off the optimum (300)
    calls = []
    real = flow.solve_pairs
    monkeypatch.setattr(flow, "solve_pairs", lambda *a: calls.append(len(a)) or real(*a))
    mentor_of, (u, pi) = flow._certified(c, m, s, 3, caps, warm_start)
    assert s[mentor_of[c] == m].sum() == 300 == u.sum() + pi.sum()
    assert (u[c] + pi[m] >= s).all()
    assert calls == [6, 5]  # the warm solve, then a cold one


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_companies=40, max_mentors=12), st.integers(1, 3), st.integers(0, 40))
def test_pruning_with_min_load_slots_matches_full_model(inst, k, keep):
    """With min-load slots (a bonus per filled slot), pruned rounds fill as many slots and reach
    the same score as one flow over all pairs."""
    blocks, n, cap = _plain_blocks(inst)
    slots = np.minimum(cap, 1)
    bonus = 1 + sum(int(b.score.max(axis=1).sum()) for b in blocks if b.score.size)
    pruned = flow.optimize(
        blocks,
        n,
        cap,
        slots,
        bonus,
        k=k,
        per_mentor=k,
        add_per_company=1,
        add_per_mentor=1,
        exhaustive_below=0,
        near=0,
        keep=keep,
    )
    full = flow.optimize(blocks, n, cap, slots, bonus)
    assert (pruned.slots_filled, pruned.score) == (full.slots_filled, full.score)
