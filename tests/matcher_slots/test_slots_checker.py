"""check_schedule catches each kind of violation (so that "0 violations" means something)."""

from dataclasses import replace
from datetime import UTC, timedelta

import pytest
from slots_helpers import IKSAN, at, company, mentor, request

from matcher.slots import Proposal, Slot, SlotResult, check_schedule
from matcher.slots.clock import local

REQ = request(
    [mentor(off=[at(3, 0).date()])],
    [company("a", blocked=[(at(4, 9), at(4, 10))]), company("b", IKSAN)],
    [("m", "a", 2), ("m", "b", 1)],
    confirmed=[("m", "a", at(1, 9), at(1, 13))],
    weeks=1,
    min_gap_days=1,
)


def result(a_starts, b_starts=(), reason="r", hours=4):
    def slots(starts):
        return tuple(Slot(local(s), local(s + timedelta(hours=hours))) for s in starts)

    return SlotResult(
        (Proposal("m", "a", slots(a_starts), reason), Proposal("m", "b", slots(b_starts), reason))
    )


def test_a_valid_result_passes():
    assert check_schedule(REQ, result([at(0, 9), at(2, 9)], [at(0, 14)])) == []


@pytest.mark.parametrize(
    "bad, message",
    [
        (result([at(0, 9), at(0, 14)]), "two alternatives on one day"),
        (result([at(0, 9), at(2, 9), at(4, 13)]), "3 slots, at most 2"),
        (result([at(0, 9)], reason=None), "no reason"),
        (result([at(0, 8)]), "outside the mentor's availability"),
        (result([at(0, 15)]), "outside the mentor's availability"),
        (result([at(5, 9)]), "outside the mentor's availability"),  # Saturday
        (result([at(3, 9)]), "day off"),
        (result([at(4, 9, 30)]), "blocked time"),
        (result([at(7, 9)]), "outside the horizon"),
        (result([at(2, 9)], hours=3), "lasts"),
        (result([at(1, 13, 30)]), "less than 1 days from a confirmed visit"),
        (result([at(0, 9)], [at(0, 12)]), "overlap"),
        (result([at(0, 9)], [at(0, 13)]), "minutes to drive"),
        (result([], [at(1, 13)]), "minutes to drive"),  # after the confirmed visit at a
    ],
)
def test_each_violation_is_reported(bad, message):
    errors = check_schedule(REQ, bad)
    assert any(message in e for e in errors), errors


def test_daily_limit_is_reported():
    req = replace(REQ, settings=replace(REQ.settings, max_visits_per_day=1))
    assert any("at most 1" in e for e in check_schedule(req, result([at(0, 9)], [at(0, 14)])))


def test_results_not_in_seoul_time_are_reported():
    seoul = result([at(0, 9)])
    utc = Proposal(
        "m", "a", tuple(Slot(s.start.astimezone(UTC), s.end) for s in seoul.proposals[0].slots), "r"
    )
    assert any("+09:00" in e for e in check_schedule(REQ, SlotResult((utc, seoul.proposals[1]))))
