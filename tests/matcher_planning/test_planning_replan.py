"""Replanning: pins stay hard; `current` with `params.stability` keeps an engagement unless a
change gains more than the stability value."""

from planning_helpers import company, instance, mentor

import matcher

NEAR = mentor("near", industries={"C29": 90})
FAR = mentor("far", industries={"C29": 90}, lat=35.9676, lon=126.7366)  # 40 km: 40 less value


def planned(inst: dict) -> dict:
    (e,) = matcher.plan(inst, time_limit=5, workers=1)["engagements"]
    return e


def test_without_stability_the_best_team_wins():
    current = {"start_week": 0, "mentors": ["far"]}
    assert planned(instance([NEAR, FAR], [company("c", current=current)]))["mentors"] == ["near"]


def test_stability_keeps_current_against_a_trifle():
    current = {"start_week": 0, "mentors": ["far"]}
    e = planned(instance([NEAR, FAR], [company("c", current=current)], stability=100))
    assert e["mentors"] == ["far"] and e["reasons"][0] == "kept as planned"
    assert e["value"] == 100000 * 50 + 900 - 40  # the contract value, without the bonus


def test_stability_gives_way_to_a_real_gain():
    current = {"start_week": 0, "mentors": ["far"]}
    assert planned(instance([NEAR, FAR], [company("c", current=current)], stability=10))["mentors"] == [
        "near"
    ]


def test_current_that_breaks_a_rule_is_not_kept():
    current = {"start_week": 0, "mentors": ["far"]}
    inst = instance([NEAR, FAR], [company("c", current=current)], stability=100, max_commute_km=20)
    assert planned(inst)["mentors"] == ["near"]


def test_pin_is_kept_over_better_choices():
    pin = {"start_week": 3, "mentors": ["far"]}
    e = planned(instance([NEAR, FAR], [company("c", pinned=pin)]))
    assert (e["start_week"], e["mentors"]) == (3, ["far"])


def test_pins_use_capacity():
    pin = {"start_week": 0, "mentors": ["near"]}
    inst = instance([NEAR], [company("c", pinned=pin, weeks=6), company("d", score=99)])
    result = matcher.plan(inst, time_limit=5, workers=1)
    assert [e["company"] for e in result["engagements"]] == ["c"]
    assert result["objective"] == result["bound"] == 100000 * 50 + 900


def test_progress_callback_reports_objective_and_bound():
    seen: list[dict] = []
    matcher.plan(instance([NEAR], [company("c")]), time_limit=5, workers=1, progress=seen.append)
    assert seen and set(seen[-1]) == {"objective", "bound", "elapsed"}
