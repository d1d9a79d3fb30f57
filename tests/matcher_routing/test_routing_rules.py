"""Each rule of the routing contract, on small instances, judged by routing_helpers.check."""

import pytest
from routing_helpers import check, euclid, shift, visit

import matcher

FAST = 1.0


def route(instance):
    result = matcher.route(instance, time_limit=FAST)
    assert check(instance, result) == []
    return result


def stops(result):
    return {r["shift"]: [s["visit"] for s in r["stops"]] for r in result["routes"]}


def reasons(result):
    return {u["visit"]: u["reason"] for u in result["unserved"]}


def test_serves_everything_reachable_and_sums_the_legs():
    inst = euclid([shift("s1")], [visit("a", 3, 4), visit("b", 6, 8)])
    result = route(inst)
    assert result["served_priority"] == 2
    assert result["travel_minutes"] == pytest.approx(20.0)
    assert result["shifts_used"] == 1
    assert result["unserved"] == []


def test_waits_for_a_window_and_times_are_exact():
    inst = euclid([shift("s1")], [visit("a", 3, 4, windows=[[50, 60]], duration=10)])
    (stop,) = route(inst)["routes"][0]["stops"]
    assert stop["arrive"] == pytest.approx(5.0)
    assert stop["start"] == pytest.approx(50.0)
    assert stop["end"] == pytest.approx(60.0)


def test_picks_the_window_that_fits_among_several():
    inst = euclid([shift("s1", frm=100)], [visit("a", 3, 4, windows=[[0, 10], [200, 300]])])
    (stop,) = route(inst)["routes"][0]["stops"]
    assert stop["start"] == pytest.approx(200.0)


def test_window_out_of_reach_is_unserved_with_a_reason():
    inst = euclid([shift("s1", frm=100)], [visit("a", 3, 4, windows=[[0, 50]])])
    result = route(inst)
    assert reasons(result) == {"a": "no shift can reach it inside its windows"}
    assert result["status"] == "OPTIMAL"


def test_shift_span_from_and_to():
    # 50 there + 10 service + 50 back = 110 > 100: cannot come back in time.
    inst = euclid([shift("s1", to=100)], [visit("a", 30, 40)])
    assert reasons(route(inst)) == {"a": "no shift can reach it inside its windows"}
    inst = euclid([shift("s1", to=110)], [visit("a", 30, 40)])
    assert route(inst)["unserved"] == []


def test_start_and_end_places_differ():
    s = {"id": "s1", "start": {"x": 0, "y": 0}, "end": {"x": 6, "y": 8}, "from": 0, "to": 100}
    result = route(euclid([s], [visit("a", 3, 4, duration=0)]))
    assert result["travel_minutes"] == pytest.approx(10.0)


def test_capacity_bounds_the_demand_of_a_shift():
    inst = euclid(
        [shift("s1", capacity=5), shift("s2", capacity=5)],
        [visit("a", 1, 0, demand=3), visit("b", 2, 0, demand=3), visit("c", 3, 0, demand=6)],
    )
    result = route(inst)
    assert len(result["routes"]) == 2
    assert reasons(result) == {
        "c": "its demand exceeds the capacity of every shift that can reach it in time"
    }


def test_allowed_shifts():
    inst = euclid([shift("s1"), shift("s2", x=100)], [visit("a", 99, 0, shifts=["s1"])])
    assert stops(route(inst)) == {"s1": ["a"]}
    inst = euclid([shift("s1")], [visit("a", 1, 0, shifts=[])])
    assert reasons(route(inst)) == {"a": "no shift is allowed to serve it"}


def test_not_allowed_on_the_shift_with_room():
    inst = euclid(
        [shift("s1", to=30), shift("s2", to=30)],
        [visit("a", 1, 0, priority=5, shifts=["s1"]), visit("b", 1, 0, priority=1, shifts=["s1"])],
    )
    # s1 fits one 10-minute visit per 30 minutes? No: both fit (1+10+0+10+1 = 22). Make them long.
    for v in inst["visits"]:
        v["duration"] = 20
    result = route(inst)
    assert stops(result) == {"s1": ["a"]}
    assert reasons(result) == {"b": "not allowed on any shift that has room"}


def test_priority_first_then_travel():
    # One short shift: it can serve the far high-priority visit or the two near ones, not all.
    inst = euclid(
        [shift("s1", to=95)],
        [visit("far", 40, 0, priority=3), visit("n1", 1, 0), visit("n2", 2, 0)],
    )
    result = route(inst)
    assert result["served_priority"] == 3
    assert reasons(result) == {
        "n1": "left out: serving it would displace higher-priority visits",
        "n2": "left out: serving it would displace higher-priority visits",
    }


def test_shift_cost_prefers_fewer_shifts():
    inst = euclid([shift("s1"), shift("s2")], [visit("a", 10, 0), visit("b", 0, 10)], shift_cost=100)
    assert route(inst)["shifts_used"] == 1


def test_geo_metric_uses_haversine_road_factor_and_speed():
    inst = {
        "version": 1,
        "travel": {"metric": "geo", "speed_kmh": 60, "road_factor": 1.0},
        "shifts": [
            {
                "id": "s",
                "start": {"lat": 35.8242, "lon": 127.1480},
                "end": {"lat": 35.8242, "lon": 127.1480},
                "from": 540,
                "to": 1080,
            }
        ],
        "visits": [
            {"id": "gunsan", "lat": 35.9676, "lon": 126.7366, "duration": 180, "windows": [[540, 900]]}
        ],
    }
    result = route(inst)
    assert result["unserved"] == []


def test_defaults_apply():
    inst = {
        "version": 1,
        "shifts": [
            {
                "id": "s",
                "start": {"lat": 35.8, "lon": 127.1},
                "end": {"lat": 35.8, "lon": 127.1},
                "from": 0,
                "to": 600,
            }
        ],
        "visits": [{"id": "v", "lat": 35.81, "lon": 127.1, "duration": 60, "windows": [[0, 600]]}],
    }
    result = route(inst)
    assert result["served_priority"] == 1 and result["version"] == 1


def test_empty_instance():
    result = route(euclid([], []))
    assert result["routes"] == [] and result["unserved"] == [] and result["status"] == "OPTIMAL"
