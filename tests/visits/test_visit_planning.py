"""Offering visit slots for approved assignments, around what is already fixed."""

import itertools
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import Session, select

from webapp.accounts.service import create_user
from webapp.core.clock import SEOUL, local_time
from webapp.core.models import OutboxEmail
from webapp.directory.models import (
    Company,
    CompanyBlockedTime,
    Mentor,
    MentorAvailability,
    MentorDayOff,
    MentorIndustry,
    Municipality,
)
from webapp.matching.service import approve_run, decide, run_matching
from webapp.visits import workflow as visits
from webapp.visits.models import VisitSlot
from webapp.visits.planning import VisitPolicy, offer_visits

NOW = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # Monday 09:00 in Seoul
POLICY = VisitPolicy(slots_per_offer=3, horizon_weeks=4)


@pytest.fixture
def approved(engine, session):
    """Two mentors (one with Tue/Thu mornings only and a day off) and four matched companies."""
    places = session.exec(select(Municipality).order_by(Municipality.id)).all()
    mentors = []
    for n, place in enumerate(places[:2]):
        mentor = Mentor(
            name=f"M{n}",
            email=f"m{n}@x.kr",
            municipality_id=place.id,
            lat=place.lat,
            lon=place.lon,
            capacity=2,
        )
        session.add(mentor)
        session.flush()
        session.add(MentorIndustry(mentor_id=mentor.id, industry_code="C29", fit=90))
        mentors.append(mentor)
    for weekday in (1, 3):
        session.add(
            MentorAvailability(mentor_id=mentors[0].id, weekday=weekday, starts=time(9), ends=time(13))
        )
    session.add(MentorDayOff(mentor_id=mentors[0].id, day=datetime(2026, 12, 3).date()))
    for n in range(4):
        place = places[n % 2]
        session.add(
            Company(
                name=f"C{n}",
                business_reg_no=f"{n:010d}",
                industry_code="C29",
                municipality_id=place.id,
                lat=place.lat,
                lon=place.lon,
                status="active",
                contact_email=f"c{n}@c.kr",
            )
        )
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
        subjects = session.exec(select(OutboxEmail.subject)).all()
    assert subjects.count("Visit slots offered") == 4


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
