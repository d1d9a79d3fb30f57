"""Side constraints: max_municipalities_per_mentor, min_load, stability (each off by default)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matcher_helpers import brute_force, check_hard_rules, filled_slots, kept, spans
from test_matcher_property import instances
from test_matcher_solve import GUNSAN, JEONJU, company, mentor

import matcher

IKSAN = (35.9483, 126.9576)
GIMJE = (35.8036, 126.8805)


def run(mentors, companies, **params):
    inst = {"version": 1, "mentors": mentors, "companies": companies, "params": params}
    result = matcher.solve(inst, time_limit=5)
    return inst, result, check_hard_rules(inst, result)


def spread_instance():
    """One mentor with room for all four companies, in three municipalities."""
    return (
        [mentor("m1", JEONJU, capacity=4, industries={"C29": 90})],
        [
            company("c1", JEONJU, municipality="Jeonju"),
            company("c2", GUNSAN, municipality="Gunsan"),
            company("c3", IKSAN, municipality="Iksan", priority=2),
            company("c4", IKSAN, municipality=" iksan "),
        ],
    )


def test_max_municipalities_off_by_default():
    _, result, chosen = run(*spread_instance())
    assert (
        result["status"] == "OPTIMAL"
        and max(spans({"companies": spread_instance()[1]}, chosen).values()) == 3
    )


def test_max_municipalities_is_respected_with_gap_to_flow_bound():
    mentors, companies = spread_instance()
    plain = run(mentors, companies)[1]
    inst, result, chosen = run(mentors, companies, max_municipalities_per_mentor=1)
    assert max(spans(inst, chosen).values()) <= 1
    best = brute_force(inst, accept=lambda ch: max(spans(inst, ch).values(), default=0) <= 1)
    assert result["objective"] == best
    assert result["bound"] == plain["objective"] > best
    assert result["status"] == "FEASIBLE" and result["stats"]["gap_to_bound"] > 0
    full = [u for u in result["unassigned"] if "municipalities" in u["reason"]]
    assert full, result["unassigned"]


def test_companies_without_municipality_do_not_count():
    mentors = [mentor("m1", capacity=3)]
    companies = [
        company("c1", municipality="Jeonju"),
        company("c2", GUNSAN),
        company("c3", IKSAN, municipality=""),
    ]
    _, result, chosen = run(mentors, companies, max_municipalities_per_mentor=1)
    assert len(chosen) == 3 and result["status"] == "OPTIMAL"


def test_pins_that_break_the_rule_make_it_infeasible():
    mentors = [mentor("m1", capacity=3)]
    companies = [
        company("c1", municipality="Jeonju", pinned_mentor="m1"),
        company("c2", GUNSAN, municipality="Gunsan", pinned_mentor="m1"),
    ]
    inst = {
        "version": 1,
        "mentors": mentors,
        "companies": companies,
        "params": {"max_municipalities_per_mentor": 1},
    }
    result = matcher.solve(inst)
    assert result["status"] == "INFEASIBLE" and result["assignments"] == []
    assert len(result["unassigned"]) == 2 and "pinned" in result["unassigned"][0]["reason"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_companies=6, max_mentors=3), st.integers(1, 2))
def test_max_municipalities_matches_brute_force(inst, k):
    inst["params"]["max_municipalities_per_mentor"] = k
    ok = lambda ch: max(spans(inst, ch).values(), default=0) <= k  # noqa: E731
    best = brute_force(inst, accept=ok)
    result = matcher.solve(inst, time_limit=5)
    if best is None:
        assert result["status"] == "INFEASIBLE"
        return
    chosen = check_hard_rules(inst, result)
    assert ok(chosen)
    assert result["objective"] == best  # tiny: one neighbourhood holds every mentor
    plain = matcher.solve({**inst, "params": {"max_distance_km": inst["params"]["max_distance_km"]}})
    assert result["bound"] == plain["objective"]


def test_min_load_gives_every_mentor_a_company_where_possible():
    mentors = [
        mentor("near", JEONJU, capacity=2),
        mentor("far", GUNSAN, capacity=2),
        mentor("small", GUNSAN, capacity=0),
    ]
    companies = [company("c1", JEONJU), company("c2", JEONJU)]
    _, plain, chosen = run(mentors, companies)
    assert set(chosen.values()) == {"near"}
    _, result, chosen = run(mentors, companies, min_load=1)
    assert set(chosen.values()) == {"near", "far"}
    assert result["status"] == "OPTIMAL" and result["stats"]["min_load_shortfall"] == 0
    assert result["objective"] < plain["objective"]


def test_min_load_best_effort_when_impossible():
    mentors = [mentor("a", capacity=2), mentor("b", capacity=2), mentor("c", capacity=2)]
    _, result, chosen = run(mentors, [company("c1"), company("c2")], min_load=2)
    assert len(chosen) == 2 and result["stats"]["min_load_shortfall"] == 4


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_companies=6, max_mentors=3), st.integers(1, 2))
def test_min_load_matches_brute_force(inst, k):
    inst["params"]["min_load"] = k
    result = matcher.solve(inst)
    chosen = check_hard_rules(inst, result)
    best = brute_force(inst, score=lambda ch, total: (filled_slots(inst, ch, k), total))
    assert (filled_slots(inst, chosen, k), result["objective"]) == best
    assert result["status"] == "OPTIMAL" and result["bound"] == result["objective"]


def test_stability_keeps_current_mentor_unless_gain_is_larger():
    # c1 is with m-far; m-near is worth a little more (25 km closer, slightly lower fit)
    mentors = [
        mentor("m-near", JEONJU, industries={"C29": 50}),
        mentor("m-far", GIMJE, industries={"C29": 52}),
    ]
    companies = [company("c1", JEONJU, current_mentor="m-far")]
    _, plain, chosen = run(mentors, companies)
    gain = plain["objective"] - run([mentors[1]], companies)[1]["objective"]
    assert chosen == {"c1": "m-near"} and gain > 0
    _, result, chosen = run(mentors, companies, stability=gain)
    assert chosen == {"c1": "m-far"} and "kept for stability" in result["assignments"][0]["reasons"]
    assert result["status"] == "OPTIMAL"
    _, result, chosen = run(mentors, companies, stability=gain - 1)
    assert chosen == {"c1": "m-near"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_companies=6, max_mentors=3), st.integers(0, 3000), st.data())
def test_stability_matches_brute_force(inst, bonus, data):
    for c in inst["companies"]:
        if inst["mentors"] and data.draw(st.booleans()):
            c["current_mentor"] = data.draw(st.sampled_from(inst["mentors"]))["id"]
    inst["params"]["stability"] = bonus
    result = matcher.solve(inst)
    chosen = check_hard_rules(inst, result)
    best = brute_force(inst, score=lambda ch, total: total + bonus * kept(inst, ch))
    assert result["objective"] + bonus * kept(inst, chosen) == best
