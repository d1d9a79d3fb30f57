"""Property-based: on tiny random instances (3-6 applicants, 3-5 mentors, 6-10 weeks) the plan
keeps every rule and its objective equals an independent brute-force optimum."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planning_helpers import brute_force

import matcher
from matcher.planning.rules import check_plan
from matcher.planning.validation import parse_or_raise

CODES = ["C25", "C29"]
SKILLS = ["automation", "quality"]
PLACES = [(35.82, 127.15), (35.97, 126.74), (35.42, 127.39)]  # Jeonju, Gunsan, Namwon


@st.composite
def instances(draw):
    horizon = draw(st.integers(6, 10))
    n_c, n_m = draw(st.integers(3, 6)), draw(st.integers(3, 5))
    companies = []
    for i in range(n_c):
        weeks = draw(st.integers(1, 4))
        first = draw(st.integers(0, horizon - weeks))
        lat, lon = draw(st.sampled_from(PLACES))
        companies.append(
            {
                "id": f"c{i}",
                "lat": lat,
                "lon": lon,
                "industry": draw(st.sampled_from(CODES)),
                "score": draw(st.integers(1, 3)),
                "weeks": weeks,
                "earliest_week": first,
                "latest_end_week": draw(st.integers(first + weeks, horizon)),
                "team_size": draw(st.integers(1, 2)),
                "skills": draw(st.lists(st.sampled_from(SKILLS), max_size=1)),
                "track": draw(st.sampled_from(["JS1", "JS2"])),
                "municipality": draw(st.sampled_from(["Jeonju", "Jinan"])),
            }
        )
    mentors = []
    for j in range(n_m):
        lat, lon = draw(st.sampled_from(PLACES))
        mentors.append(
            {
                "id": f"m{j}",
                "lat": lat,
                "lon": lon,
                "industries": draw(st.dictionaries(st.sampled_from(CODES), st.integers(1, 100), max_size=2)),
                "skills": draw(st.lists(st.sampled_from(SKILLS), max_size=2, unique=True)),
                "unavailable_weeks": draw(st.lists(st.integers(0, horizon - 1), max_size=2)),
                "max_concurrent": draw(st.integers(0, 2)),
                "exclude": draw(st.lists(st.sampled_from([c["id"] for c in companies]), max_size=1)),
            }
        )
    params = {
        "max_commute_km": draw(st.sampled_from([30, 80])),
        "quotas": draw(st.dictionaries(st.sampled_from(["JS1", "JS2"]), st.integers(0, 3))),
        "min_per_municipality": draw(st.dictionaries(st.just("Jinan"), st.integers(0, 1))),
    }
    return {
        "version": 1,
        "horizon_weeks": horizon,
        "mentors": mentors,
        "companies": companies,
        "params": params,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_plan_keeps_rules_and_is_optimal(inst):
    result = matcher.plan(inst, time_limit=20, workers=1)
    best = brute_force(inst)
    problems = check_plan(parse_or_raise(inst), result["engagements"])
    if result["status"] == "INFEASIBLE":  # the pins alone (none here), short of a minimum
        problems = [p for p in problems if not p.startswith("municipality ")]
    assert problems == []
    ids = [e["company"] for e in result["engagements"]] + [u["company"] for u in result["unselected"]]
    assert sorted(ids) == sorted(c["id"] for c in inst["companies"])
    if best is None:
        assert result["status"] == "INFEASIBLE"
    else:
        assert result["status"] == "OPTIMAL"
        assert result["objective"] == result["bound"] == best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_quota_bound_is_an_upper_bound(inst):
    """The quota bound (best applicants per track alone), and with minimums the selection bound,
    are never below the true optimum."""
    from matcher.planning.bounds import best_alone, quota_bound, selection_bound
    from matcher.planning.pricing import TeamPicker
    from matcher.planning.pruning import prepare

    problem = prepare(parse_or_raise(inst))
    pickers = [TeamPicker(c) for c in problem.free]
    best = brute_force(inst)
    if best is not None:
        alone = best_alone(problem, pickers)
        assert quota_bound(problem, alone, []) >= best
        selection = selection_bound(problem, alone, [])
        assert selection is None or selection[0] >= best
