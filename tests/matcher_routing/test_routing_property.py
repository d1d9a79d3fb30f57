"""On tiny random instances the router reaches the brute-force optimum: the same served priority
and no more travel (+ shift_cost per shift used) than the best plan; every answer is valid."""

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from routing_helpers import brute_force, check, euclid

import matcher

coord = st.integers(0, 30)


@st.composite
def instances(draw):
    n_shifts = draw(st.integers(1, 2))
    shifts = []
    for k in range(n_shifts):
        frm = draw(st.integers(0, 20))
        shifts.append(
            {
                "id": f"s{k}",
                "start": {"x": draw(coord), "y": draw(coord)},
                "end": {"x": draw(coord), "y": draw(coord)},
                "from": frm,
                "to": frm + draw(st.integers(20, 150)),
                "capacity": draw(st.sampled_from([0, 3, 5])),
            }
        )
    visits = []
    for i in range(draw(st.integers(1, 4))):
        windows = []
        for _ in range(draw(st.integers(1, 2))):
            o = draw(st.integers(0, 120))
            windows.append([o, o + draw(st.integers(0, 60))])
        allowed = draw(
            st.one_of(st.none(), st.lists(st.sampled_from([s["id"] for s in shifts]), unique=True))
        )
        visits.append(
            {
                "id": f"v{i}",
                "x": draw(coord),
                "y": draw(coord),
                "duration": draw(st.integers(0, 20)),
                "windows": windows,
                "priority": draw(st.integers(1, 3)),
                "demand": draw(st.integers(0, 3)),
                "shifts": allowed,
            }
        )
    return euclid(shifts, visits, shift_cost=draw(st.sampled_from([0, 10])))


# No shrinking: each example runs the engine (2 s), and shrinking would take minutes.
@settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(instances())
def test_matches_the_brute_force_optimum(inst):
    note(f"instance: {inst}")
    result = matcher.route(inst, time_limit=2)
    note(f"result: {result}")
    assert check(inst, result) == []
    best_priority, best_cost = brute_force(inst)
    assert result["served_priority"] == best_priority
    cost = result["travel_minutes"] + inst["params"]["shift_cost"] * result["shifts_used"]
    assert cost == pytest.approx(best_cost, abs=1e-3)
