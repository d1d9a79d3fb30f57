"""Offering visit slots for approved assignments, around what is already fixed."""

import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import Session, select
from werkzeug.datastructures import MultiDict

from tests.support.visits import place_company, place_mentor
from webapp.accounts.models import User
from webapp.accounts.service import create_user
from webapp.core.clock import SEOUL, local_time
from webapp.core.models import Notification, OutboxEmail
from webapp.core.notifications import render
from webapp.directory.models import (
    Company,
    CompanyBlockedTime,
    MentorAvailability,
    MentorDayOff,
    Municipality,
)
from webapp.matching.service import approve_run, decide, run_matching
from webapp.visits import workflow as visits
from webapp.visits.closures import public_holidays
from webapp.visits.days_off import withdraw_day
from webapp.visits.models import ClosureDay, VisitSlot
from webapp.visits.planning import VisitPolicy, offer_visits
from webapp.visits.preferences import Preferences, parse_preferences

NOW = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # Monday 09:00 in Seoul
POLICY = VisitPolicy(slots_per_offer=3, horizon_weeks=4)


@pytest.fixture
def approved(engine, session):
    """Two mentors (one with Tue/Thu mornings only and a day off) and four matched companies."""
    places = session.exec(select(Municipality).order_by(Municipality.id)).all()
    mentors = []
    for n, place in enumerate(places[:2]):
        mentors.append(place_mentor(session, n, place, capacity=2))
    for weekday in (1, 3):
        session.add(
            MentorAvailability(mentor_id=mentors[0].id, weekday=weekday, starts=time(9), ends=time(13))
        )
    session.add(MentorDayOff(mentor_id=mentors[0].id, day=datetime(2026, 12, 3).date()))
    for n in range(4):
        place_company(session, n, places[n % 2])
    session.commit()
    run = run_matching(engine)
    decide(engine, approve_run, run.id, None)
    return mentors


def _offers(engine):
    with Session(engine) as session:
        return session.exec(
            select(VisitSlot).where(VisitSlot.state == "proposed").order_by(VisitSlot.starts_at)
        ).all()


def test_every_assignment_gets_offers_that_respect_the_calendars(engine, approved):
    assert offer_visits(engine, POLICY, NOW) == 12
    offers = _offers(engine)
    per_company = {}
    for slot in offers:
        per_company.setdefault(slot.company_id, []).append(slot)
        start, end = local_time(slot.starts_at), local_time(slot.ends_at)
        assert end - start == timedelta(minutes=240) and start > NOW
        if slot.mentor_id == approved[0].id:
            assert start.weekday() in (1, 3) and time(9) <= start.time() and end.time() <= time(13)
            assert start.date() != datetime(2026, 12, 3).date()
        else:
            assert start.weekday() < 5 and time(9) <= start.time() and end.time() <= time(18)
    assert all(len(slots) == 3 for slots in per_company.values()) and len(per_company) == 4
    by_mentor = {}
    for slot in offers:
        by_mentor.setdefault(slot.mentor_id, []).append(slot)
    for slots in by_mentor.values():
        for a, b in itertools.pairwise(slots):
            assert a.ends_at <= b.starts_at  # no two offers of one mentor overlap
    with Session(engine) as session:
        codes = session.exec(select(Notification.code)).all()
        assert len(session.exec(select(OutboxEmail)).all()) == 4
    assert codes == ["slots_offered"] * 4


def test_offering_is_idempotent(engine, approved):
    offer_visits(engine, POLICY, NOW)
    assert offer_visits(engine, POLICY, NOW) == 0


def test_declined_times_and_blocked_times_are_not_offered_again(engine, session, approved):
    offer_visits(engine, POLICY, NOW)
    company_id = next(s.company_id for s in _offers(engine) if s.mentor_id == approved[1].id)
    declined = {(s.starts_at, s.ends_at) for s in _offers(engine) if s.company_id == company_id}
    user = create_user(session, email="co@x.kr", password="pass-word1", role="company", company_id=company_id)
    session.add(CompanyBlockedTime(company_id=company_id, starts_at=NOW, ends_at=NOW + timedelta(days=3)))
    session.commit()
    visits.decline_offers(session, company_id, "We are shut those days", user)
    assert offer_visits(engine, POLICY, NOW) == 3
    fresh = [s for s in _offers(engine) if s.company_id == company_id]
    assert len(fresh) == 3
    for slot in fresh:
        assert slot.starts_at >= NOW + timedelta(days=3)
        assert all(slot.ends_at <= a or slot.starts_at >= b for a, b in declined)


def test_a_confirmed_visit_is_respected_and_the_next_one_offered_later(engine, session, approved):
    offer_visits(engine, POLICY, NOW)
    first = next(s for s in _offers(engine) if s.mentor_id == approved[1].id)  # weekdays 09-18
    user = create_user(
        session, email="co@x.kr", password="pass-word1", role="company", company_id=first.company_id
    )
    session.commit()
    visits.confirm_slot(session, first.id, user)
    assert offer_visits(engine, POLICY, NOW) == 3  # next visit of that company
    again = [s for s in _offers(engine) if s.company_id == first.company_id]
    assert all(
        abs(local_time(s.starts_at).date() - local_time(first.starts_at).date()) >= timedelta(days=2)
        for s in again
    )
    for slot in _offers(engine):
        if slot.mentor_id == first.mentor_id:
            assert slot.ends_at <= first.starts_at or slot.starts_at >= first.ends_at


def test_policy_from_config():
    policy = VisitPolicy.from_config({"VISIT_MINUTES": "480", "SLOTS_PER_OFFER": 2, "OTHER": 1})
    assert (policy.visit_minutes, policy.slots_per_offer, policy.visits_per_week) == (480, 2, 2)
    assert SEOUL.key == "Asia/Seoul"


def _company_user(session, company_id):
    user = create_user(session, email="co@x.kr", password="pass-word1", role="company", company_id=company_id)
    session.commit()
    return user


def test_public_holidays_substitute_holidays_and_closure_days_are_never_offered(engine, session, approved):
    """설날 2027 falls on Sat 6 - Mon 8 February, with a substitute holiday on Tuesday 9th."""
    before_seollal = datetime(2027, 2, 1, 0, 0, tzinfo=UTC)
    session.add(ClosureDay(day=date(2027, 2, 11), name="Program workshop"))
    session.commit()
    offer_visits(engine, VisitPolicy(slots_per_offer=12, horizon_weeks=2), before_seollal)
    days = {local_time(s.starts_at).date() for s in _offers(engine)}
    assert days, "something is offered around the holidays"
    assert not days & {date(2027, 2, 8), date(2027, 2, 9), date(2027, 2, 11)}
    assert public_holidays(date(2027, 2, 6), date(2027, 2, 9))[date(2027, 2, 9)] == "설날 대체 휴일"


def test_the_next_offers_honour_the_companys_preferences(engine, session, approved):
    offer_visits(engine, POLICY, NOW)
    company_id = next(s.company_id for s in _offers(engine) if s.mentor_id == approved[1].id)
    user = _company_user(session, company_id)
    second_week = (date(2026, 12, 7), date(2026, 12, 11))
    prefs, errors = parse_preferences(
        MultiDict(
            [
                ("weekday", "1"),
                ("weekday", "3"),
                ("half", "pm"),
                ("from_0", "2026-12-07"),
                ("to_0", "2026-12-11"),
            ]
        ),
        date(2026, 11, 30),
    )
    assert errors == {} and prefs.weekdays == [1, 3] and prefs.halves == ["pm"]
    visits.decline_offers(session, company_id, "Tue/Thu after 14:00 suit us", user, prefs)
    assert offer_visits(engine, POLICY, NOW) == 3
    for slot in (s for s in _offers(engine) if s.company_id == company_id):
        start = local_time(slot.starts_at)
        assert start.weekday() in (1, 3) and start.hour >= 13
        assert not second_week[0] <= start.date() <= second_week[1]
    with Session(engine) as fresh:
        notice = fresh.exec(select(Notification).where(Notification.code == "offers_declined")).one()
        assert render(notice.code, notice.params, "ko").text.count("화, 목 · 오후") == 1


def test_when_no_time_fits_the_company_and_the_coordinators_are_told_once(engine, session, approved):
    offer_visits(engine, POLICY, NOW)
    company_id = next(s.company_id for s in _offers(engine) if s.mentor_id == approved[1].id)
    user = _company_user(session, company_id)
    session.add(User(email="coord@x.kr", role="coordinator", password_hash="x"))
    session.commit()
    visits.decline_offers(session, company_id, "", user, Preferences(weekdays=[6]))  # Sundays only
    assert offer_visits(engine, POLICY, NOW) == 0
    assert offer_visits(engine, POLICY, NOW) == 0  # the scheduler's next poll tells nobody again
    with Session(engine) as fresh:
        told = fresh.exec(select(Notification.to_address).where(Notification.code == "slots_none_fit")).all()
    contact = session.get(Company, company_id).contact_email  # the company's contact address
    assert sorted(told) == sorted([contact, "coord@x.kr"])


def test_a_day_off_withdraws_its_offers_and_flags_confirmed_visits(engine, session, approved):
    offer_visits(engine, POLICY, NOW)
    mentor_id = approved[1].id
    offers = [s for s in _offers(engine) if s.mentor_id == mentor_id]
    confirmed = offers[0]
    on_day = next(
        s for s in offers if local_time(s.starts_at).date() != local_time(confirmed.starts_at).date()
    )
    user = _company_user(session, confirmed.company_id)
    visits.confirm_slot(session, confirmed.id, user)
    session.add(User(email="coord@x.kr", role="coordinator", password_hash="x"))
    session.commit()
    day = local_time(on_day.starts_at).date()
    still_offered = [
        s for s in _offers(engine) if local_time(s.starts_at).date() == day and s.mentor_id == mentor_id
    ]
    withdrawn, flagged = withdraw_day(session, day, mentor_id=mentor_id)
    session.commit()
    assert {s.id for s in withdrawn} == {s.id for s in still_offered} and flagged == []
    with Session(engine) as fresh:
        for slot in still_offered:
            again = fresh.get(VisitSlot, slot.id)
            assert (again.state, again.reason_code) == ("declined", "day_off")
        assert fresh.exec(
            select(Notification.code).where(Notification.code == "offers_withdrawn_day_off")
        ).all()
    confirmed_day = local_time(confirmed.starts_at).date()
    for _ in range(2):  # adding the same day twice tells nobody twice
        withdraw_day(session, confirmed_day, mentor_id=mentor_id)
        session.commit()
    with Session(engine) as fresh:
        assert fresh.get(VisitSlot, confirmed.id).flag == "day_off"
        told = dict(
            fresh.exec(
                select(Notification.to_address, Notification.link).where(
                    Notification.code == "visit_on_day_off"
                )
            ).all()
        )
    assert sorted(told) == ["coord@x.kr", "m1@x.kr"]
    assert told["coord@x.kr"] == "/coordinator/visits#attention"  # the desk's queue, where it waits
