"""One test per rule of a plan: a team or plan that breaks it is refused, by the checker and
by the planner (the company stays unselected with that rule as its reason)."""

from planning_helpers import company, instance, mentor

import matcher
from matcher.planning.rules import check_plan
from matcher.planning.validation import parse_or_raise

GUNSAN = {"lat": 35.9676, "lon": 126.7366}  # ~40 km from Jeonju


def only_reason(inst: dict) -> str:
    result = matcher.plan(inst, time_limit=5, workers=1)
    assert result["engagements"] == [] and result["status"] == "OPTIMAL"
    (unselected,) = result["unselected"]
    return str(unselected["reason"])


def refused(inst: dict, engagement: dict) -> list[str]:
    return check_plan(parse_or_raise(inst), [engagement])


def engagement(cid: str, start: int, mentors: list[str], value: int = 0) -> dict:
    return {"company": cid, "start_week": start, "end_week": start + 2, "mentors": mentors, "value": value}


def test_team_size_rule():
    inst = instance([mentor("a")], [company("c", team_size=2)])
    assert "team of 2 is needed" in only_reason(inst)
    assert any("team of 1 instead of 2" in p for p in refused(inst, engagement("c", 0, ["a"])))


def test_distinct_members_rule():
    inst = instance([mentor("a")], [company("c", team_size=2)])
    assert any("listed twice" in p for p in refused(inst, engagement("c", 0, ["a", "a"])))


def test_exclusion_rule():
    inst = instance([mentor("a", exclude=["c"])], [company("c")])
    assert "excluded" in only_reason(inst)
    assert any("excluded by a" in p for p in refused(inst, engagement("c", 0, ["a"])))


def test_commute_rule():
    inst = instance([mentor("a")], [company("c", **GUNSAN)], max_commute_km=30)
    assert "0 mentor(s) within 30 km" in only_reason(inst)
    assert any("farther than 30 km" in p for p in refused(inst, engagement("c", 0, ["a"])))


def test_industry_rule():
    inst = instance([mentor("a", industries={"C10": 90})], [company("c")])
    assert only_reason(inst) == "no valid team: no mentor of industry C29 within 80 km"
    assert any("no member of industry C29" in p for p in refused(inst, engagement("c", 0, ["a"])))


def test_industry_needs_one_member_only():
    inst = instance([mentor("a"), mentor("b", industries={})], [company("c", team_size=2)])
    (e,) = matcher.plan(inst, time_limit=5, workers=1)["engagements"]
    assert sorted(e["mentors"]) == ["a", "b"]
    assert e["value"] == 100000 * 50 + 800 + 0 - 0


def test_skills_rule():
    inst = instance([mentor("a", skills=["quality"])], [company("c", skills=["automation"])])
    assert only_reason(inst) == "no valid team: no mentor within 80 km holds skill automation"
    assert any("skills not covered: automation" in p for p in refused(inst, engagement("c", 0, ["a"])))


def test_skills_covered_together():
    ms = [mentor("a", skills=["quality"]), mentor("b", skills=["it"], industries={})]
    (e,) = matcher.plan(instance(ms, [company("c", team_size=2, skills=["it", "quality"])]))["engagements"]
    assert e["reasons"][1] == "covers it, quality"


def test_window_rule():
    inst = instance([mentor("a")], [company("c", earliest_week=2, latest_end_week=5)])
    assert any("outside its window" in p for p in refused(inst, engagement("c", 0, ["a"])))
    (e,) = matcher.plan(inst, time_limit=5, workers=1)["engagements"]
    assert (e["start_week"], e["end_week"]) == (2, 4)


def test_capacity_rule():
    inst = instance([mentor("a")], [company("c", weeks=4, score=90), company("d", weeks=4)])
    result = matcher.plan(inst, time_limit=5, workers=1)
    assert [e["company"] for e in result["engagements"]] == ["c"]
    assert result["unselected"][0]["reason"].startswith("qualified mentors busy in every possible window")
    plan = [engagement("c", 0, ["a"]), engagement("d", 1, ["a"])]
    assert any("serves 2 engagements in week 1" in p for p in check_plan(parse_or_raise(inst), plan))


def test_max_concurrent_two_serves_both():
    inst = instance([mentor("a", max_concurrent=2)], [company("c", weeks=6), company("d", weeks=6)])
    assert len(matcher.plan(inst, time_limit=5, workers=1)["engagements"]) == 2


def test_unavailable_weeks_rule():
    inst = instance([mentor("a", unavailable_weeks=[1, 4])], [company("c")])
    result = matcher.plan(inst, time_limit=5, workers=1)
    assert result["engagements"][0]["start_week"] == 2
    assert any("unavailable in week 1" in p for p in refused(inst, engagement("c", 0, ["a"])))


def test_quota_rule():
    inst = instance(
        [mentor("a", max_concurrent=3)],
        [company("c", track="JS1", score=90), company("d", track="JS1", score=60)],
        quotas={"JS1": 1},
    )
    result = matcher.plan(inst, time_limit=5, workers=1)
    assert [e["company"] for e in result["engagements"]] == ["c"]
    assert result["unselected"] == [
        {"company": "d", "reason": "quota JS1 reached by higher-scored applicants"}
    ]


def test_municipality_minimum_rule():
    inst = instance(
        [mentor("a")],
        [company("c", weeks=6, score=90), company("d", weeks=6, score=10, municipality="Jinan")],
        min_per_municipality={"Jinan": 1},
    )
    result = matcher.plan(inst, time_limit=5, workers=1)
    assert [e["company"] for e in result["engagements"]] == ["d"]


def test_municipality_minimum_infeasible():
    inst = instance([mentor("a")], [company("d", municipality="Muju")], min_per_municipality={"Jinan": 1})
    result = matcher.plan(inst, time_limit=5, workers=1)
    assert result["status"] == "INFEASIBLE" and result["engagements"] == []
    assert "Jinan" in result["stats"]["reason"]
    assert result["unselected"] == [  # d could be served, but no plan is allowed
        {"company": "d", "reason": f"no plan meets the municipality minimums ({result['stats']['reason']})"}
    ]
    assert result["stats"]["method"] == ""  # known before any search


def test_value_is_exact():
    m = mentor("a", industries={"C29": 70}, **GUNSAN)
    result = matcher.plan(instance([m], [company("c", score=82, earliest_week=3)]), time_limit=5, workers=1)
    (e,) = result["engagements"]
    assert e["value"] == 100000 * 82 + 10 * 70 - 40 - 3 == result["objective"] == result["bound"]
