"""Property tests on random small instances, judged by the brute-force rules of slots_helpers."""

from dataclasses import replace
from datetime import time, timedelta
from itertools import product
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slots_helpers import at, company, drive, fixed_ok, judge, mentor, naive, request

from matcher.slots import Window, check_schedule, propose_slots

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MENTORS, PER_MENTOR, WEEKS, GRIDS = (
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(1, 2),
    st.sampled_from([30, 60]),
)


@st.composite
def instances(
    draw,
    mentors=MENTORS,
    per_mentor=PER_MENTOR,
    weeks=WEEKS,
    grids=GRIDS,
    aligned=False,
):
    """Mentors, their assignments (one company each, plus a few other companies), windows on a
    15-minute raster (or on the grid when `aligned`), days off, blocked times, confirmed visits."""
    grid, n_weeks = draw(grids), draw(weeks)
    step = grid if aligned else 15
    days = n_weeks * 7
    place = st.tuples(
        st.integers(3530, 3610).map(lambda v: v / 100), st.integers(12650, 12760).map(lambda v: v / 100)
    )
    ms, cs, assignments, confirmed = [], [], [], []

    def clock(lo_h, hi_h):
        k = draw(st.integers(lo_h * 60 // step, hi_h * 60 // step))
        return k * step

    def day_at(d, minute):
        return at(d, 0) + timedelta(minutes=minute)

    for i in range(draw(mentors)):
        windows = []
        for _ in range(draw(st.integers(0, 6))):
            lo = clock(6, 16)
            hi = min(lo + draw(st.integers(1, 12 * 60 // step)) * step, 24 * 60 - 1)
            windows.append(Window(draw(st.integers(0, 6)), time(lo // 60, lo % 60), time(hi // 60, hi % 60)))
        off = draw(st.sets(st.integers(0, days - 1), max_size=4))
        ms.append(mentor(f"m{i}", draw(place), tuple(windows), [at(d, 0).date() for d in off]))
        for k in range(draw(per_mentor)):
            cid = f"c{i}{k}"
            blocked = []
            for _ in range(draw(st.integers(0, 2))):
                start = day_at(draw(st.integers(-1, days)), clock(0, 23))
                blocked.append((start, start + timedelta(minutes=draw(st.integers(1, 48)) * 60)))
            cs.append(company(cid, draw(place), blocked))
            assignments.append((f"m{i}", cid, draw(st.integers(0, 3))))
    cs.append(company("other", draw(place)))
    for _ in range(draw(st.integers(0, 4))):
        who = draw(st.sampled_from(ms)).id
        where = draw(st.sampled_from(cs)).id
        start = day_at(draw(st.integers(-2, days + 1)), clock(7, 20))
        confirmed.append((who, where, start, start + timedelta(minutes=draw(st.integers(1, 16)) * 30)))
    return request(
        ms,
        cs,
        assignments,
        confirmed,
        weeks=n_weeks,
        visit_minutes=draw(st.sampled_from([60, 120, 180, 240, 480])),
        grid_minutes=grid,
        max_visits_per_day=draw(st.integers(1, 3)),
        min_gap_days=draw(st.integers(0, 3)),
        speed_kmh=draw(st.sampled_from([30.0, 50.0])),
        earliness_per_day=draw(st.integers(0, 120)),
    )


def grid_starts(req):
    """Every start on the grid (from midnight) in the horizon, naive Seoul time."""
    step = req.settings.grid_minutes
    return [at(0, 0) + timedelta(minutes=k * step) for k in range(req.weeks * 7 * 1440 // step)]


@SETTINGS
@given(instances())
def test_no_rule_is_ever_broken(req):
    result = propose_slots(req)
    assert judge(req, result) == []
    assert check_schedule(req, result) == []


@SETTINGS
@given(instances(per_mentor=st.just(1), aligned=True))
def test_alone_an_assignment_gets_every_day_that_has_a_fitting_time(req):
    """With one assignment per mentor the proposals only interact through "one per day", so the
    best answer is known by brute force: one slot on each of the first n days with a free time."""
    result = propose_slots(req)
    starts = grid_starts(req)
    for a, p in zip(req.assignments, result.proposals, strict=True):
        days = {s.date() for s in starts if not fixed_ok(req, a.mentor_id, a.company_id, s)}
        assert len(p.slots) == min(a.n_slots, len(days)), p.reason


@settings(max_examples=60, deadline=None)
@given(
    instances(mentors=st.just(1), per_mentor=st.just(2), weeks=st.just(1), grids=st.just(60), aligned=True)
)
def test_two_assignments_both_get_a_slot_whenever_possible(req):
    req = replace(req, assignments=tuple(replace(a, n_slots=1) for a in req.assignments))
    s = req.settings
    places = {c.id: c for c in req.companies}
    (m, a, _), (_, b, _) = [(x.mentor_id, x.company_id, 1) for x in req.assignments]
    starts = grid_starts(req)
    fits_a = [x for x in starts if not fixed_ok(req, m, a, x)]
    fits_b = [x for x in starts if not fixed_ok(req, m, b, x)]
    confirmed_days = [v.start.date() for v in req.confirmed if v.mentor_id == m]

    def compatible(x, y):
        gap = timedelta(
            minutes=s.visit_minutes + (drive(places[a], places[b], s) if x.date() == y.date() else 0)
        )
        same_day = 2 + confirmed_days.count(x.date()) if x.date() == y.date() else 0
        return (x + gap <= y or y + gap <= x) and same_day <= s.max_visits_per_day

    both = any(compatible(x, y) for x, y in product(fits_a, fits_b))
    got = [len(p.slots) for p in propose_slots(req).proposals]
    assert got == [1, 1] if both else sum(got) == min(1, len(fits_a) + len(fits_b))


def tiers(req, result):
    """(assignments served, slots, cost) as the objective defines them, recomputed here."""
    s = req.settings
    places = {c.id: c for c in req.companies}
    origin = at(0, 0)
    cost = 0
    for p in result.proposals:
        for slot in p.slots:
            x = naive(slot.start)
            cost += s.earliness_per_day * int((x - origin).total_seconds() // 60) // 1440
            cost += sum(
                drive(places[p.company_id], places[v.company_id], s)
                for v in req.confirmed
                if v.mentor_id == p.mentor_id and v.start.date() == x.date() and v.company_id != p.company_id
            )
    return (sum(1 for p in result.proposals if p.slots), sum(len(p.slots) for p in result.proposals), -cost)


def unhurried(req, **settings):
    """`req` with time to prove every mentor's model even on a busy machine (these tests are
    about answers, not speed)."""
    return replace(req, settings=replace(req.settings, time_limit_per_mentor_s=60, **settings))


def exact(req):
    return unhurried(req, exact=True)


@settings(max_examples=60, deadline=None)
@given(instances(mentors=st.just(1)))
def test_pruning_candidates_never_changes_the_optimum(req):
    pruned = propose_slots(exact(req))
    with mock.patch("matcher.slots.propose.prune", lambda *args: None):
        full = propose_slots(exact(req))
    assert judge(req, full) == []
    assert tiers(req, pruned) == tiers(req, full)


@SETTINGS
@given(instances())
def test_the_greedy_alone_never_breaks_a_rule(req):
    """Every mentor answered by the greedy plan, even those the exact model would take over."""
    with mock.patch(
        "matcher.slots.propose._solve_exact", lambda h, mentor_id, opts, greedy: (greedy.starts, False, "")
    ):
        result = propose_slots(req)
    assert judge(req, result) == []
    assert check_schedule(req, result) == []


@SETTINGS
@given(instances())
def test_served_and_slots_are_the_exact_models_and_the_cost_never_below(req):
    """The bound proves the greedy's counts, so they equal the exact model's; its cost is the
    optimum's or above, and equal wherever it claims OPTIMAL for every mentor."""
    fast, best = propose_slots(unhurried(req)), propose_slots(exact(req))
    assert set(best.stats["solver_status"]) <= {"OPTIMAL", "EMPTY"}  # small: always proven
    assert tiers(req, fast)[:2] == tiers(req, best)[:2]
    assert tiers(req, fast)[2] <= tiers(req, best)[2]  # tiers() gives minus the cost
    if set(fast.stats["solver_status"]) <= {"OPTIMAL", "EMPTY"}:
        assert tiers(req, fast) == tiers(req, best)
