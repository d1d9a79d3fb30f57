"""One test per scheduling rule, on hand-made instances whose answer is obvious."""

from datetime import UTC, time, timedelta
from itertools import pairwise

import pytest
from slots_helpers import GUNSAN, IKSAN, JEONJU, at, company, drive, judge, mentor, naive, request, weekdays

from matcher.slots import InvalidSlotRequest, Window, check_schedule, propose_slots


def solve(req):
    result = propose_slots(req)
    assert check_schedule(req, result) == []
    assert judge(req, result) == []
    return result


def starts(result, k=0):
    return [naive(s.start) for s in result.proposals[k].slots]


def test_earliest_slots_first_each_on_its_own_day():
    result = solve(request([mentor()], [company()], [("m", "c", 3)]))
    assert starts(result) == [at(0, 9), at(1, 9), at(2, 9)]
    assert result.proposals[0].reason is None


def test_slots_lie_inside_availability_windows():
    tuesday_afternoon = (Window(1, time(13), time(17, 30)),)
    result = solve(request([mentor(windows=tuesday_afternoon)], [company()], [("m", "c", 2)], weeks=2))
    assert starts(result) == [at(1, 13), at(8, 13)]


def test_touching_windows_are_one_window():
    split = (Window(0, time(9), time(11)), Window(0, time(11), time(13)))
    result = solve(request([mentor(windows=split)], [company()], [("m", "c", 1)]))
    assert starts(result) == [at(0, 9)]


def test_no_slot_on_a_day_off():
    result = solve(request([mentor(off=[at(0, 0).date(), at(2, 0).date()])], [company()], [("m", "c", 3)]))
    assert starts(result) == [at(1, 9), at(3, 9), at(4, 9)]


def test_slots_stay_in_the_horizon():
    result = solve(request([mentor()], [company()], [("m", "c", 9)], weeks=1))
    assert len(result.proposals[0].slots) == 5  # Monday to Friday, one per day
    assert all(at(0, 0) <= s < at(7, 0) for s in starts(result))
    assert "only 5 day(s)" in result.proposals[0].reason


def test_company_blocked_times_are_avoided():
    c = company(blocked=[(at(0, 0), at(1, 12)), (at(2, 10), at(2, 11))])
    result = solve(request([mentor()], [c], [("m", "c", 2)]))
    assert starts(result) == [at(1, 12), at(2, 11)]


def test_no_overlap_with_a_confirmed_visit_at_the_same_company():
    result = solve(
        request(
            [mentor()],
            [company()],
            [("m", "c", 1)],
            confirmed=[("m", "c", at(0, 9), at(0, 13))],
            min_gap_days=0,
        )
    )
    assert starts(result) == [at(0, 13)]


def test_drive_from_a_confirmed_visit_elsewhere_is_left_free():
    req = request(
        [mentor()],
        [company("far", IKSAN), company("c", JEONJU)],
        [("m", "c", 1)],
        confirmed=[("m", "far", at(0, 9), at(0, 13))],
    )
    minutes = drive(req.companies[0], req.companies[1], req.settings)
    assert 30 < minutes <= 60
    assert starts(solve(req)) == [at(0, 14)]


def test_proposals_of_one_mentor_never_overlap_and_leave_time_to_drive():
    req = request([mentor()], [company("a", GUNSAN), company("b", IKSAN)], [("m", "a", 5), ("m", "b", 5)])
    result = solve(req)
    both = sorted(starts(result, 0) + starts(result, 1))
    assert len(both) == 10  # two a day, so each day holds a morning and an afternoon visit
    gap = timedelta(minutes=240 + drive(req.companies[0], req.companies[1], req.settings))
    for x, y in pairwise(both):
        assert x.date() != y.date() or y - x >= gap


def test_at_most_max_visits_per_mentor_per_day():
    req = request(
        [mentor()],
        [company("a"), company("b"), company("c")],
        [("m", "a", 1), ("m", "b", 1), ("m", "c", 1)],
        visit_minutes=120,
        max_visits_per_day=2,
    )
    days = [s.date() for k in range(3) for s in starts(solve(req), k)]
    assert sorted(days) == [at(0, 0).date()] * 2 + [at(1, 0).date()]


def test_confirmed_visits_count_towards_the_daily_limit():
    req = request(
        [mentor()],
        [company("a"), company("b")],
        [("m", "b", 1)],
        confirmed=[("m", "a", at(0, 9), at(0, 11))],
        visit_minutes=120,
        max_visits_per_day=1,
    )
    assert starts(solve(req)) == [at(1, 9)]


def test_spread_from_the_company_confirmed_visits():
    req = request(
        [mentor()],
        [company()],
        [("m", "c", 2)],
        confirmed=[("m", "c", at(1, 9), at(1, 13))],
        min_gap_days=2,
        weeks=2,
    )
    assert starts(solve(req)) == [at(3, 9), at(4, 9)]


def test_driving_to_confirmed_visits_trades_against_earliness():
    """Monday has a confirmed visit far away, Tuesday one next door: when a day later costs less
    than the extra drive, Tuesday afternoon wins."""
    places = [company("far", IKSAN), company("near", JEONJU), company("c", JEONJU)]
    confirmed = [("m", "far", at(0, 9), at(0, 13)), ("m", "near", at(1, 9), at(1, 13))]
    early = request([mentor()], places, [("m", "c", 1)], confirmed=confirmed, earliness_per_day=60)
    cheap = request([mentor()], places, [("m", "c", 1)], confirmed=confirmed, earliness_per_day=10)
    assert starts(solve(early)) == [at(0, 14)]
    assert starts(solve(cheap)) == [at(1, 13)]


def test_every_assignment_gets_a_slot_before_anyone_gets_a_second():
    mornings = weekdays(time(9), time(13), days=range(3))  # room for three visits in all
    req = request([mentor(windows=mornings)], [company("a"), company("b")], [("m", "a", 3), ("m", "b", 3)])
    result = solve(req)
    assert sorted(len(p.slots) for p in result.proposals) == [1, 2]
    assert all("other assignments" in p.reason for p in result.proposals)


def test_companies_too_far_apart_to_share_a_day_go_to_the_exact_model():
    """Gunsan and Namwon are over an hour apart: two half-day visits cannot share a day, which
    the greedy's relaxation does not know, so the exact model settles the mentor."""
    far = company("b", (35.42, 127.39))
    req = request([mentor()], [company("a", GUNSAN), far], [("m", "a", 2), ("m", "b", 2)])
    assert drive(req.companies[0], far, req.settings) > 60
    result = solve(req)
    assert result.stats["exact_models"] == 1 and result.stats["solver_status"] == {"OPTIMAL": 1}
    assert sorted(starts(result, 0) + starts(result, 1)) == [at(d, 9) for d in range(4)]


def test_an_exact_model_out_of_time_keeps_the_greedys_answer():
    far = company("b", (35.42, 127.39))
    req = request(
        [mentor()], [company("a", GUNSAN), far], [("m", "a", 2), ("m", "b", 2)], time_limit_per_mentor_s=1e-6
    )
    result = solve(req)
    assert result.stats["exact_models"] == 1 and result.stats["slots"] == 4
    assert all(p.reason is None for p in result.proposals)


def test_a_mentor_whose_days_fit_is_settled_without_a_model():
    req = request([mentor()], [company("a"), company("b")], [("m", "a", 3), ("m", "b", 3)])
    result = solve(req)
    assert result.stats["exact_models"] == 0
    assert sorted(starts(result, 0) + starts(result, 1)) == sorted(
        [at(d, 9) for d in range(3)] + [at(d, 13) for d in range(3)]
    )


@pytest.mark.parametrize(
    "req_kwargs, reason",
    [
        ({"windows": (Window(0, time(9), time(11)),)}, "no availability window of 240 minutes"),
        ({"off": [at(d, 0).date() for d in range(5)]}, "days off on every available day"),
    ],
)
def test_reason_when_the_mentor_cannot(req_kwargs, reason):
    result = solve(request([mentor(**req_kwargs)], [company()], [("m", "c", 3)]))
    assert result.proposals[0].slots == () and reason in result.proposals[0].reason


def test_reason_when_the_company_is_blocked_all_week():
    c = company(blocked=[(at(0, 0), at(7, 0))])
    result = solve(request([mentor()], [c], [("m", "c", 3)]))
    assert "company is blocked" in result.proposals[0].reason


def test_reason_when_the_company_visits_are_too_close():
    result = solve(
        request(
            [mentor()],
            [company()],
            [("m", "c", 3)],
            min_gap_days=7,
            confirmed=[("m", "c", at(3, 9), at(3, 13))],
        )
    )
    assert "within 7 days of a confirmed visit" in result.proposals[0].reason


def test_zero_slots_asked_gives_none_and_no_reason():
    result = solve(request([mentor()], [company()], [("m", "c", 0)]))
    assert result.proposals[0].slots == () and result.proposals[0].reason is None


def test_results_are_seoul_time_iso_and_aware_inputs_are_converted():

    utc_block = (
        at(0, 0).replace(tzinfo=UTC) - timedelta(hours=9),
        at(1, 0).replace(tzinfo=UTC) - timedelta(hours=9),
    )  # all Monday, Seoul
    req = request([mentor()], [company(blocked=[utc_block])], [("m", "c", 1)])
    result = propose_slots(req)
    assert check_schedule(req, result) == []
    assert result.to_dict()["proposals"][0]["slots"] == [
        {"start": "2026-12-08T09:00:00+09:00", "end": "2026-12-08T13:00:00+09:00"}
    ]


def test_full_day_visits():
    result = solve(
        request(
            [mentor(windows=weekdays(time(9), time(17)))], [company()], [("m", "c", 2)], visit_minutes=480
        )
    )
    assert starts(result) == [at(0, 9), at(1, 9)]


def test_invalid_requests_list_every_problem():
    req = request(
        [mentor(windows=(Window(7, time(9), time(8)),))],
        [company(), company()],
        [("m", "c", 1), ("x", "c", 1)],
        weeks=0,
        visit_minutes=0,
    )
    with pytest.raises(InvalidSlotRequest) as err:
        propose_slots(req)
    text = "\n".join(err.value.errors)
    for part in (
        "weeks",
        "visit_minutes",
        "bad window",
        "company c: listed 2 times",
        "unknown mentor x",
        "in 2 assignments",
    ):
        assert part in text
