"""The router's inner steps: the engine's integer rounding, the switch to required visits, the
ejection chains, and a tight inspection burst served completely."""

import dataclasses
import json
import subprocess
import sys
import time

import pytest
from routing_helpers import check, euclid, shift, visit

import matcher
from matcher.routing import generate_route_instance, pyvrp_engine
from matcher.routing.chains import augment
from matcher.routing.schedule import Network
from matcher.routing.validation import parse_or_raise


def route(instance, time_limit=1.0):
    result = matcher.route(instance, time_limit=time_limit)
    assert check(instance, result) == []
    return result


def test_one_fractional_instant_as_a_window_is_served():
    # open == close == 7.0004 holds no multiple of 1/1000 minute: rounding open up and close
    # down used to invert it (PyVRP: "tw_early must be <= tw_late").
    inst = euclid(
        [shift("s1")],
        [
            visit("a", 3, 4, windows=[[7.0004, 7.0004]]),
            visit("b", 3, 4, windows=[[30.3333, 30.3333], [60.00001, 60.00009]]),
        ],
    )
    result = route(inst)
    assert result["unserved"] == []
    starts = {s["visit"]: s["start"] for r in result["routes"] for s in r["stops"]}
    assert starts["a"] == pytest.approx(7.0004, abs=1e-9)
    assert starts["b"] == pytest.approx(30.3333, abs=1e-9)


def test_one_fractional_instant_as_a_shift_span():
    # A shift from == to == 5.0004 can only serve a visit of no duration at its own start.
    inst = euclid(
        [shift("s1", frm=5.0004, to=5.0004), shift("s2", x=50, frm=5.0004, to=5.0004)],
        [visit("here", 0, 0, duration=0), visit("away", 10, 0, duration=0)],
    )
    result = route(inst)
    assert [s["visit"] for r in result["routes"] for s in r["stops"]] == ["here"]
    assert [u["visit"] for u in result["unserved"]] == ["away"]


def test_one_fractional_instant_from_the_command_line(tmp_path):
    inst = euclid([shift("s1")], [visit("a", 3, 4, windows=[[12.34567, 12.34567]])])
    path = tmp_path / "in.json"
    path.write_text(json.dumps(inst))
    out = subprocess.run(
        [sys.executable, "-m", "matcher", "route", str(path), "--time-limit", "1"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert check(inst, json.loads(out.stdout)) == []


@pytest.mark.parametrize(
    ("open_", "close"),
    [(7.0004, 7.0004), (7.0001, 7.0009), (0.0, 0.0), (7.0, 7.0), (1.5, 2.25), (0.00049, 0.0005)],
)
def test_engine_windows_never_invert_and_stay_safe(open_, close):
    scale = pyvrp_engine.SCALE
    early, late, duration = pyvrp_engine.client_window(open_, close, 10.0)
    assert early <= late
    # Arriving by the engine's close means arriving by the exact close ...
    assert late <= close * scale + 1e-6
    # ... and the engine's end is never before the exact end of a start inside the window.
    assert late + duration >= close * scale + 10.0 * scale - 1e-6
    assert early + duration >= open_ * scale + 10.0 * scale - 1e-6
    s_early, s_late = pyvrp_engine.shift_span(open_, close)
    assert s_early <= s_late and s_early >= open_ * scale - 1e-6


def test_all_served_cost_threshold_and_required_switch():
    inst = parse_or_raise(
        euclid(
            [shift("s1"), shift("s2")],
            [visit("a", 3, 4, windows=[[0, 100], [200, 300]], priority=2), visit("b", 6, 8)],
        )
    )
    net = Network(inst)
    problem = pyvrp_engine.build(net, [0, 1])
    best = pyvrp_engine.run(
        problem, problem.data, time.perf_counter() + 0.5, 1, below=problem.all_served_below
    )
    assert pyvrp_engine.serves_all(problem, best, 2)
    routes = pyvrp_engine.routes_of(problem, best)
    required = pyvrp_engine.required_data(problem)
    assert all(required.client(i).prize == 0 for i in range(required.num_clients))
    assert all(g.required for g in required.groups())
    again = pyvrp_engine.solution_of(problem, required, net, routes)
    assert again.is_feasible() and pyvrp_engine.serves_all(problem, again, 2)


def test_ejection_chain_moves_a_visit_to_make_room():
    # Each shift fits one 60-minute visit. "late" (window only at 30) can only be served by s1,
    # which serves "any"; "any" fits s2 as well, so the chain moves it there and serves "late".
    inst = parse_or_raise(
        euclid(
            [shift("s1", to=100), shift("s2", to=100)],
            [visit("any", 1, 0, duration=60), visit("late", 1, 0, windows=[[30, 30]], duration=60)],
        )
    )
    inst.visits[1] = dataclasses.replace(inst.visits[1], shifts=frozenset({"s1"}))
    net = Network(inst)
    routes = [[0], []]
    assert augment(net, routes, 1, float("inf"))
    assert routes == [[1], [0]]


def test_ejection_chain_drops_only_lower_priority():
    # One shift, room for one visit: the priority-2 visit takes the priority-1 visit's place.
    inst = parse_or_raise(
        euclid(
            [shift("s1", to=70)],
            [visit("low", 1, 0, duration=60, priority=1), visit("high", 1, 0, duration=60, priority=2)],
        )
    )
    net = Network(inst)
    routes = [[0]]
    assert augment(net, routes, 1, float("inf"))
    assert routes == [[1]]
    assert not augment(net, routes, 0, float("inf"))  # never the other way round
    assert routes == [[1]]


def test_tight_burst_is_served_completely():
    # Every pair does exactly two half-day visits a day in the planted plan: a tight packing.
    inst = generate_route_instance(visits=40, days=2, pairs=10, seed=4)
    result = route(inst, time_limit=4.0)
    assert result["unserved"] == []
