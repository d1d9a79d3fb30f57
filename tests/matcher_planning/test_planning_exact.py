"""Reduced-cost fixing (matcher/planning/exact.py) and the statuses it leads to.

The fixing argument holds for any prices of the right signs, so it is checked here at random
prices against the independent brute force: the Lagrangian bound is never below the optimum;
restricted to plans worth at least the optimum, the direct model still finds the optimum; one
above it, it proves there is none."""

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planning_helpers import brute_force, company, instance, mentor
from test_planning_property import instances

import matcher
from matcher.planning.colgen import ColumnGeneration, Prices
from matcher.planning.direct import solve_direct
from matcher.planning.exact import Fixing
from matcher.planning.pricing import Column, TeamPicker
from matcher.planning.pruning import prepare
from matcher.planning.rules import check_plan
from matcher.planning.solve import current_column
from matcher.planning.validation import parse_or_raise


def random_prices(problem, seed: int) -> Prices:
    rng = np.random.default_rng(seed)
    capacity = rng.choice([0.0, 0.0, 3.5, 40.0, 250.0], size=problem.capacity.shape)
    quota = {t: float(rng.choice([0.0, 100.0, 150000.0])) for t in problem.quota_left}
    minimum = {n: -float(rng.choice([0.0, 500.0])) for n in problem.minimum_left}
    return Prices(capacity, quota, minimum)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(0, 2**31))
def test_fixing_keeps_every_plan_worth_the_target(inst, seed):
    best = brute_force(inst)
    if best is None:
        return
    problem = prepare(parse_or_raise(inst))
    pickers = [TeamPicker(c) for c in problem.free]
    fixing = Fixing(problem, pickers, random_prices(problem, seed), [])
    assert fixing.bound >= best - 1e-6
    cut = math.floor(fixing.bound + 1e-3)
    deadline = 1e18  # tiny models: CP-SAT proves them at once
    found = solve_direct(problem, [], [], 0, cut, deadline, 1, fixing.restriction(best, []), best)
    assert found is not None and found.proven
    assert sum(col.value for col in found.chosen) == best
    above = solve_direct(problem, [], [], 0, cut, deadline, 1, fixing.restriction(best + 1, []), best + 1)
    assert above is not None and above.chosen == [] and above.bound == best


def test_generated_instance_optimum_matches_the_unrestricted_model():
    """The planner's OPTIMAL (after exclusion steps by reduced-cost fixing) is the optimum the
    direct model proves on its own, without any restriction or bound."""
    inst = matcher.generate_plan(30, 8, 30, seed=2)
    result = matcher.plan(inst, time_limit=60, workers=1)
    assert result["status"] == "OPTIMAL" and result["objective"] == result["bound"]
    assert "reduced-cost fixing" in result["stats"]["method"]
    assert check_plan(parse_or_raise(inst), result["engagements"]) == []
    problem = prepare(parse_or_raise(inst))
    alone = solve_direct(problem, [], [], 0, 10**15, 1e18, 1)
    assert alone is not None and alone.proven
    pinned = result["objective"] - sum(
        e["value"] for e in result["engagements"] if not e["reasons"][0].startswith("pinned")
    )
    assert sum(col.value for col in alone.chosen) + pinned == result["objective"]


def test_status_is_optimal_only_when_objective_meets_bound():
    """Proven or stopped by the time limit, on instances the planner proves and on one it
    cannot in a second (INFEASIBLE, the pins alone, has objective == bound by the contract)."""
    for n, m, weeks, seed, limit in [(30, 8, 30, 1, 5), (30, 8, 30, 2, 5), (60, 15, 44, 1, 1)]:
        result = matcher.plan(matcher.generate_plan(n, m, weeks, seed=seed), time_limit=limit, workers=1)
        assert result["bound"] >= result["objective"]
        if result["status"] != "INFEASIBLE":
            assert (result["status"] == "OPTIMAL") == (result["objective"] == result["bound"])


def test_bound_counts_a_current_engagement_with_its_stability():
    """Pricing never generates a current engagement, so the column generation's bound must
    count it at its own (stabilised) reduced value: here it beats every team pricing finds."""
    near = mentor("near", industries={"C29": 90})
    far = mentor("far", industries={"C29": 90}, lat=35.9676, lon=126.7366)
    current = {"start_week": 0, "mentors": ["far"]}
    inst = instance([near, far], [company("c", current=current)], stability=500)
    problem = prepare(parse_or_raise(inst))
    pickers = [TeamPicker(c) for c in problem.free]
    kept = current_column(problem, 0)
    assert isinstance(kept, Column)
    zero = Prices(np.zeros(problem.capacity.shape), {}, {})
    bound, _ = ColumnGeneration(problem, pickers, [kept]).price(zero, None)
    assert bound >= kept.value > 50 * 100000 + 900
    assert Fixing(problem, pickers, zero, [kept]).bound >= kept.value
    result = matcher.plan(inst, time_limit=5, workers=1)
    assert result["engagements"][0]["mentors"] == ["far"] and result["status"] == "OPTIMAL"
