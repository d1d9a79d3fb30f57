"""Unit tests of each rule of the default objective and of the explanations."""

import numpy as np
from matcher_helpers import check_hard_rules, value

import matcher

JEONJU = (35.8242, 127.1480)
GUNSAN = (35.9676, 126.7366)
SEOUL = (37.5665, 126.9780)


def mentor(mid, where=JEONJU, capacity=1, industries=None, exclude=()):
    return {
        "id": mid,
        "lat": where[0],
        "lon": where[1],
        "capacity": capacity,
        "industries": industries or {"C29": 100},
        "exclude": list(exclude),
    }


def company(cid, where=JEONJU, industry="C29", **extra):
    return {"id": cid, "lat": where[0], "lon": where[1], "industry": industry, **extra}


def solve(mentors, companies, **params):
    inst = {"version": 1, "mentors": mentors, "companies": companies, "params": params}
    result = matcher.solve(inst)
    return inst, result, check_hard_rules(inst, result)


def reasons(result):
    return {u["company"]: u["reason"] for u in result["unassigned"]}


def test_value_of_a_pair_matches_the_contract():
    inst, result, _ = solve(
        [mentor("m1", JEONJU, industries={"C29": 73})], [company("c1", GUNSAN, priority=3)]
    )
    a = result["assignments"][0]
    assert a["value"] == value(inst["companies"][0], inst["mentors"][0]) == 3 * (10000 + 730 - 40)
    assert a["distance_km"] == 40.34 and a["fit"] == 73
    assert result["status"] == "OPTIMAL" and result["objective"] == result["bound"] == a["value"]
    assert a["reasons"] == ["same industry C29 (fit 73)", "40 km away", "priority 3"]
    assert result["stats"]["allowed_pairs"] == 1 and "wall_s" in result["stats"]


def test_industry_must_match():
    _, result, chosen = solve([mentor("m1", industries={"C25": 90})], [company("c1", industry="C29")])
    assert chosen == {}
    assert reasons(result) == {"c1": "no mentor of industry C29"}


def test_distance_limit():
    _, result, chosen = solve([mentor("m1", SEOUL)], [company("c1", JEONJU)], max_distance_km=80)
    assert chosen == {}
    assert reasons(result)["c1"].startswith("no qualified mentor within 80 km (nearest is 194 km away)")
    _, _, chosen = solve([mentor("m1", SEOUL)], [company("c1", JEONJU)], max_distance_km=200)
    assert chosen == {"c1": "m1"}


def test_exclusion():
    _, result, chosen = solve([mentor("m1", exclude=["c1"])], [company("c1")])
    assert chosen == {}
    assert reasons(result)["c1"].startswith("excluded by every qualified mentor")


def test_capacity_and_full_reason():
    _, result, chosen = solve([mentor("m1", capacity=2)], [company(f"c{i}") for i in range(3)])
    assert len(chosen) == 2
    assert list(reasons(result).values()) == ["all 1 qualified mentor(s) within 80 km are full"]


def test_priority_wins_the_scarce_place():
    _, _, chosen = solve([mentor("m1")], [company("low", priority=1), company("high", GUNSAN, priority=2)])
    assert chosen == {"high": "m1"}


def test_serving_more_companies_beats_better_fit():
    # m1 fits c1 perfectly and could also take c2; the optimum gives c1 to m2 so both are served.
    mentors = [
        mentor("m1", industries={"C29": 100, "C25": 100}),
        mentor("m2", GUNSAN, industries={"C29": 10}),
    ]
    _, _, chosen = solve(mentors, [company("c1"), company("c2", industry="C25")])
    assert chosen == {"c1": "m2", "c2": "m1"}


def test_pin_is_kept_even_beyond_distance_and_counts_toward_capacity():
    mentors = [mentor("m1", SEOUL, capacity=1), mentor("m2", JEONJU, capacity=1)]
    companies = [company("c1", JEONJU, pinned_mentor="m1"), company("c2", JEONJU), company("c3", SEOUL)]
    _, result, chosen = solve(mentors, companies)
    assert chosen["c1"] == "m1" and "c3" not in chosen
    a = next(a for a in result["assignments"] if a["company"] == "c1")
    assert a["reasons"][0] == "pinned (confirmed visits)"
    assert result["stats"]["allowed_pairs"] == 4  # c1-m1 (pinned), c1-m2, c2-m2, c3-m1


def test_far_pin_may_have_negative_value():
    companies = [company("c1", (35.0, 127.0), pinned_mentor="m1")]
    _, result, _ = solve([mentor("m1", (-35.0, -53.0))], companies)
    assert result["objective"] < 0 and result["status"] == "OPTIMAL"


def test_empty_instances():
    _, result, _ = solve([], [company("c1")])
    assert result["assignments"] == [] and reasons(result) == {"c1": "no mentor of industry C29"}
    _, result, _ = solve([mentor("m1")], [])
    assert result == {**result, "objective": 0, "bound": 0, "assignments": [], "unassigned": []}


def test_zero_distance_limit_and_zero_capacity():
    _, _, chosen = solve([mentor("m1"), mentor("m0", capacity=0)], [company("c1")], max_distance_km=0)
    assert chosen == {"c1": "m1"}


def test_output_order_follows_input():
    comps = [company(f"c{i}", GUNSAN if i % 2 else JEONJU) for i in range(6)]
    _, result, _ = solve([mentor("m1", capacity=3)], comps)
    assert [a["company"] for a in result["assignments"]] == sorted(
        a["company"] for a in result["assignments"]
    )


def test_same_mentor_as_before_is_mentioned():
    _, result, _ = solve([mentor("m1")], [company("c1", current_mentor="m1")])
    assert "same mentor as before" in result["assignments"][0]["reasons"]


def test_map_blocks_keeps_order_with_threads():
    from matcher import parallel

    items = list(range(7))
    sizes = [3, 9, 1, 7, 5, 2, 8]
    assert parallel.map_blocks(lambda x: x * x, items, sizes, threads=2) == [x * x for x in items]


def test_chunk_runs_splits_whole_runs_in_about_equal_halves(monkeypatch):
    from matcher import parallel

    starts = np.array([0, 5, 6, 40, 41, 90, 99])  # runs of a sorted array of 100 elements
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    chunks = parallel.chunk_runs(starts, 100, threads=2)
    assert len(chunks) == 2 and chunks[0][:3:2] == (0, 0) and chunks[-1][1::2] == (7, 100)
    assert chunks[0][1] == chunks[1][0] and chunks[0][3] == chunks[1][2] == starts[chunks[1][0]]
    longest_run = int(np.diff(np.r_[starts, 100]).max())
    assert all(e1 - e0 <= 50 + longest_run for _, _, e0, e1 in chunks)
    assert parallel.chunk_runs(starts, 100, threads=1) == [(0, 7, 0, 100)]
    monkeypatch.setattr(parallel, "MIN_WORK", 1000)
    assert parallel.chunk_runs(starts, 100, threads=2) == [(0, 7, 0, 100)]  # too little work


def test_threaded_pair_building_and_scans_give_the_same_answer(monkeypatch):
    from matcher import parallel

    inst = matcher.generate(600, 120, seed=3)
    single = matcher.solve(inst)
    monkeypatch.setattr(parallel, "THREADS", 2)
    monkeypatch.setattr(parallel, "MIN_WORK", 0)  # every block list goes to the thread pool
    threaded = matcher.solve(inst)
    check_hard_rules(inst, threaded)
    assert threaded["status"] == "OPTIMAL" and threaded["bound"] == threaded["objective"]
    for key in ("objective", "bound", "assignments", "unassigned"):
        assert threaded[key] == single[key]
    assert threaded["stats"]["allowed_pairs"] == single["stats"]["allowed_pairs"]


def test_score_blocks_share_the_model_values_only_when_unchanged():
    import numpy as np

    from matcher import pairs, solver
    from matcher.validation import parse_or_raise

    raw = matcher.generate(300, 60, seed=5)
    for c in raw["companies"][:40]:
        c["current_mentor"] = raw["mentors"][0]["id"]
    instance = parse_or_raise(raw)
    model = pairs.build(instance)
    before = [b.value.copy() for b in model.blocks]
    index = {m.id: j for j, m in enumerate(instance.mentors)}
    plain = solver._score_blocks(model, instance, index, 0)
    stable = solver._score_blocks(model, instance, index, 7)
    assert all((b.value == v).all() for b, v in zip(model.blocks, before, strict=True))  # model untouched
    assert any(p.score is b.value for p, b in zip(plain, model.blocks, strict=True))
    assert not any(s.score is b.value for s, b in zip(stable, model.blocks, strict=True))
    pinned_rows = model.pinned >= 0
    for p, b in zip(plain, model.blocks, strict=True):
        expect = np.where(pinned_rows[b.rows][:, None], 0, b.value)
        assert (p.score == expect).all()
