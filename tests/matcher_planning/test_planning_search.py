"""The search phases on a generated instance: every plan they return keeps every rule, and the
large-neighbourhood search (forced here; it runs on large instances) never loses value."""

import matcher
from matcher.planning import solve
from matcher.planning.rules import check_plan
from matcher.planning.validation import parse_or_raise


def test_large_neighbourhood_search_keeps_rules(monkeypatch):
    inst = matcher.generate_plan(30, 8, 30, seed=3)
    base = matcher.plan(inst, time_limit=3, workers=1)
    monkeypatch.setattr(solve, "DIRECT_MAX_PAIRS", 0)
    result = matcher.plan(inst, time_limit=3, workers=1)
    assert check_plan(parse_or_raise(inst), result["engagements"]) == []
    assert result["bound"] >= result["objective"]
    assert result["bound"] >= base["objective"] and base["bound"] >= result["objective"]
    if result["status"] != "OPTIMAL":
        assert "large-neighbourhood search" in result["stats"]["method"]
