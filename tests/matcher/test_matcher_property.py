"""Property-based: on random small instances the answer keeps every hard rule and its objective
equals the brute-force optimum; certified pruning with tiny candidate lists stays exact."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matcher
from matcher import flow, pairs, solver
from matcher.validation import parse_or_raise
from matcher_helpers import brute_force, check_hard_rules

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
        mentors.append({"id": f"m{j}", "lat": lat + draw(jitter), "lon": lon + draw(jitter),
                        "capacity": draw(st.integers(0, 3)),
                        "industries": {c: draw(st.integers(1, 100)) for c in inds}, "exclude": []})
    companies = []
    for i in range(n_c):
        lat, lon = draw(st.sampled_from(PLACES))
        companies.append({"id": f"c{i}", "lat": lat + draw(jitter), "lon": lon + draw(jitter),
                          "industry": draw(st.sampled_from(CODES)), "priority": draw(st.integers(1, 5)),
                          "municipality": draw(st.sampled_from(["A", "B", "C", None]))})
    for m in mentors:
        if companies and draw(st.booleans()):
            m["exclude"] = [draw(st.sampled_from(companies))["id"]]
    room = {m["id"]: m["capacity"] for m in mentors}
    for c in companies:
        ok = [m for m in mentors if c["industry"] in m["industries"] and c["id"] not in m["exclude"]
              and room[m["id"]] > 0]
        if ok and draw(st.integers(0, 4)) == 0:
            m = draw(st.sampled_from(ok))
            c["pinned_mentor"] = m["id"]
            room[m["id"]] -= 1
    return {"version": 1, "mentors": mentors, "companies": companies,
            "params": {"max_distance_km": draw(st.sampled_from([30, 80, 250]))}}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_optimal_and_valid(inst):
    result = matcher.solve(inst)
    check_hard_rules(inst, result)
    assert result["status"] == "OPTIMAL"
    assert result["objective"] == result["bound"] == brute_force(inst)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_companies=40, max_mentors=12), st.integers(1, 3))
def test_certified_pruning_matches_full_model(inst, k):
    """Tiny candidate lists force several rounds of adding violating pairs; the result must still
    equal the optimum over all pairs."""
    instance = parse_or_raise(inst)
    model = pairs.build(instance)
    blocks = solver._score_blocks(model, instance, {m.id: j for j, m in enumerate(instance.mentors)}, 0)
    cap = np.array([m.capacity for m in instance.mentors], dtype=np.int64)
    cap -= np.bincount(model.pinned[model.pinned >= 0], minlength=len(cap))
    n = len(instance.companies)
    pruned = flow.optimize(blocks, n, cap, k=k, per_mentor=k, add_per_company=1, add_per_mentor=1,
                           exhaustive_below=0)
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
@given(instances(max_companies=40, max_mentors=12), st.integers(1, 3), st.integers(0, 40),
       st.integers(1, 6))
def test_rounds_on_pairs_near_the_prices_match_full_model(inst, k, keep, shrink_rounds):
    """Rounds that solve only the pairs near the prices (keep 0 drops nearly all of them, so the
    quick test fails and the model shrinks), then only grow: still the optimum over all pairs."""
    blocks, n, cap = _plain_blocks(inst)
    pruned = flow.optimize(blocks, n, cap, k=k, per_mentor=k, add_per_company=1, add_per_mentor=1,
                           exhaustive_below=0, near=0, keep=keep, shrink_rounds=shrink_rounds)
    full = flow.optimize(blocks, n, cap)
    assert pruned.score == full.score == pruned.dual_bound == full.dual_bound


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_companies=40, max_mentors=12), st.integers(1, 3), st.integers(0, 150),
       st.integers(0, 30))
def test_rounds_with_margin_from_the_violations_match_full_model(inst, k, keep, keep_min):
    """From round 3 on the margin follows the violations just found (clamped to
    [keep_min, keep]); whatever it is, the answer is the optimum over all pairs."""
    blocks, n, cap = _plain_blocks(inst)
    pruned = flow.optimize(blocks, n, cap, k=k, per_mentor=k, add_per_company=1, add_per_mentor=1,
                           exhaustive_below=0, near=0, keep=keep, keep_min=keep_min)
    full = flow.optimize(blocks, n, cap)
    assert pruned.score == full.score == pruned.dual_bound == full.dual_bound


def test_margin_follows_the_violations():
    c = np.array([0, 1, 2, 3])
    m = np.array([0, 0, 1, 1])
    s = np.array([110, 105, 300, 90])
    u = np.zeros(4, dtype=np.int64)
    pi = np.array([100, 100])
    new = (c, m, s)  # violations 10, 5, 200 (the last pair is not one)
    assert flow._margin(new, u, pi, keep=150, keep_min=0, rounds=2) == 150
    assert flow._margin(new, u, pi, keep=150, keep_min=0, rounds=3) == 150  # 2 * 90th pct > keep
    assert flow._margin(new[:2] + (np.array([110, 105, 120, 90]),), u, pi, 150, 0, 3) == 2 * 18
    assert flow._margin(new[:2] + (np.array([110, 105, 120, 90]),), u, pi, 150, 40, 3) == 40
    assert flow._margin((c, m, np.array([1, 1, 1, 1])), u, pi, 150, 40, 5) == 40  # none violate


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_companies=40, max_mentors=12), st.integers(1, 3), st.integers(0, 40))
def test_pruning_with_min_load_slots_matches_full_model(inst, k, keep):
    """With min-load slots (a bonus per filled slot), pruned rounds fill as many slots and reach
    the same score as one flow over all pairs."""
    blocks, n, cap = _plain_blocks(inst)
    slots = np.minimum(cap, 1)
    bonus = 1 + sum(int(b.score.max(axis=1).sum()) for b in blocks if b.score.size)
    pruned = flow.optimize(blocks, n, cap, slots, bonus, k=k, per_mentor=k, add_per_company=1,
                           add_per_mentor=1, exhaustive_below=0, near=0, keep=keep)
    full = flow.optimize(blocks, n, cap, slots, bonus)
    assert (pruned.slots_filled, pruned.score) == (full.slots_filled, full.score)
