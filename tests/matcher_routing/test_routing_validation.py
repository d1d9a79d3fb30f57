"""Invalid routing instances: one `record.field: message` line per problem, never a traceback."""

import pytest
from routing_helpers import euclid, shift, visit

import matcher


def errors(instance):
    with pytest.raises(matcher.InvalidInstance) as e:
        matcher.route(instance, time_limit=1)
    return e.value.errors


def good():
    return euclid([shift("s1")], [visit("a", 1, 1)])


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda i: i.update(version=2), "version: unsupported version 2 (must be 1)"),
        (lambda i: i.pop("shifts"), "shifts: is required"),
        (lambda i: i.update(visits={}), "visits: must be a list"),
        (
            lambda i: i["travel"].update(metric="manhattan"),
            'travel.metric: unknown metric "manhattan" (must be geo or euclidean)',
        ),
        (lambda i: i["travel"].update(speed_kmh=0), "travel.speed_kmh: must be greater than 0"),
        (lambda i: i["visits"][0].update(duration=-1), "visits[0].duration: must be >= 0"),
        (lambda i: i["visits"][0].update(duration="1"), "visits[0].duration: must be a number"),
        (lambda i: i["visits"][0].update(duration=True), "visits[0].duration: must be a number"),
        (lambda i: i["visits"][0].update(windows=[[5, 1]]), "visits[0].windows[0]: open 5 is after close 1"),
        (
            lambda i: i["visits"][0].update(windows=[[-5, 1]]),
            "visits[0].windows[0]: open and close must be >= 0",
        ),
        (
            lambda i: i["visits"][0].update(windows=[[1]]),
            "visits[0].windows[0]: must be a pair [open, close]",
        ),
        (
            lambda i: i["visits"][0].update(windows=[]),
            "visits[0].windows: must be a non-empty list of [open, close] pairs",
        ),
        (lambda i: i["visits"][0].update(shifts=["nope"]), 'visits[0].shifts[0]: unknown shift "nope"'),
        (
            lambda i: i["visits"][0].update(priority=0),
            "visits[0].priority: must be an integer between 1 and 100",
        ),
        (
            lambda i: i["visits"][0].update(priority=1.5),
            "visits[0].priority: must be an integer between 1 and 100",
        ),
        (lambda i: i["visits"][0].update(demand=-2), "visits[0].demand: must be >= 0"),
        (lambda i: i["visits"][0].pop("x"), "visits[0].x: is required for metric euclidean"),
        (lambda i: i["visits"].append(visit("a", 2, 2)), 'visits[1].id: duplicate id "a"'),
        (lambda i: i["shifts"].append(shift("s1")), 'shifts[1].id: duplicate id "s1"'),
        (lambda i: i["shifts"][0].update({"from": 10, "to": 5}), "shifts[0].to: must not be before from"),
        (lambda i: i["shifts"][0].update(capacity=-1), "shifts[0].capacity: must be >= 0"),
        (lambda i: i["shifts"][0]["start"].pop("y"), "shifts[0].start.y: is required for metric euclidean"),
        (lambda i: i["shifts"][0].pop("end"), "shifts[0].end: is required"),
        (lambda i: i.update(params={"shift_cost": -3}), "params.shift_cost: must be >= 0"),
        (lambda i: i.update(params=[]), "params: must be an object"),
        (lambda i: i.update(travel={"metric": "geo"}), "shifts[0].start.lat: is required for metric geo"),
        (lambda i: i["visits"][0].update(x=float("nan")), "visits[0].x: must be a number"),
    ],
)
def test_one_line_per_problem(mutate, expected):
    inst = good()
    mutate(inst)
    assert expected in errors(inst)


def test_all_problems_are_reported_at_once():
    inst = good()
    inst["visits"][0]["duration"] = -1
    inst["visits"][0]["windows"] = [[3, 2]]
    inst["shifts"][0]["from"] = "9"
    assert len(errors(inst)) == 3


def test_geo_latitude_range():
    inst = {
        "version": 1,
        "shifts": [],
        "visits": [{"id": "v", "lat": 91, "lon": 0, "duration": 1, "windows": [[0, 1]]}],
    }
    assert errors(inst) == ["visits[0].lat: must be between -90 and 90"]


def test_not_an_object():
    assert errors([]) == ["instance: must be a JSON object"]
