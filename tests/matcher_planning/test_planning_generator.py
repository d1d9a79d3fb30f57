"""generate-plan makes benchmark instances: the province's small-county minimums, but never one
that no applicant of the county can meet (seed 4 at 60 x 15 had one: Jangsu's only applicant has
no valid team, so every plan was INFEASIBLE)."""

import matcher
from matcher.planning.pricing import TeamPicker
from matcher.planning.pruning import prepare
from matcher.planning.solve import impossible_minimum
from matcher.planning.validation import parse_or_raise


def test_small_county_minimums_are_kept_only_where_an_applicant_can_be_served():
    for seed in range(1, 7):
        raw = matcher.generate_plan(60, 15, 44, seed=seed)
        problem = prepare(parse_or_raise(raw))
        assert impossible_minimum(problem, [TeamPicker(c) for c in problem.free]) is None, seed
        assert raw["params"]["min_per_municipality"], seed  # the rule itself stays
