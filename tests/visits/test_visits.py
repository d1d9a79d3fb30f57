"""The visit workflow, the database's refusal of double booking, notifications and feeds."""

import threading
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from webapp.accounts.models import User
from webapp.accounts.service import create_user
from webapp.core.clock import utcnow
from webapp.core.models import AuditLog, Notification, OutboxEmail
from webapp.directory.models import Company, Mentor, Municipality
from webapp.visits import calendar_feed
from webapp.visits import workflow as visits
from webapp.visits.models import VisitSlot
from webapp.visits.workflow import SlotTaken, VisitError

BACKENDS = ("sqlite", "postgres")


@pytest.fixture
def world(session):
    """One mentor, two companies with logins, and a helper to offer slots."""
    place = session.exec(select(Municipality)).first()
    mentor = Mentor(name="Kim", email="kim@m.kr", municipality_id=place.id, lat=place.lat, lon=place.lon)
    companies = [
        Company(
            name=f"Co{i}",
            business_reg_no=f"{i:010d}",
            industry_code="C29",
            municipality_id=place.id,
            lat=place.lat,
            lon=place.lon,
            contact_email=f"co{i}@c.kr",
            address=f"Street {i}",
        )
        for i in (1, 2)
    ]
    session.add_all([mentor, *companies])
    session.flush()
    users = {
        "mentor": create_user(
            session, email="mentor@x.kr", password="pass-word1", role="mentor", mentor_id=mentor.id
        ),
        "co1": create_user(
            session, email="co1@x.kr", password="pass-word1", role="company", company_id=companies[0].id
        ),
        "co2": create_user(
            session, email="co2@x.kr", password="pass-word1", role="company", company_id=companies[1].id
        ),
    }
    session.commit()
    start = (utcnow() + timedelta(days=3)).replace(hour=1, minute=0, second=0, microsecond=0)

    def offer(company, hours_from_start=0, length=4):
        slot = VisitSlot(
            mentor_id=mentor.id,
            company_id=company.id,
            starts_at=start + timedelta(hours=hours_from_start),
            ends_at=start + timedelta(hours=hours_from_start + length),
        )
        session.add(slot)
        session.commit()
        return slot

    class World:
        pass

    w = World()
    w.mentor, w.companies, w.users, w.offer, w.start = mentor, companies, users, offer, start
    return w


def _emails(session):
    """(address, message code) of each notice, checked to have its email queued too."""
    notices = session.exec(select(Notification).order_by(Notification.id)).all()
    assert [n.to_address for n in notices] == session.exec(
        select(OutboxEmail.to_address).order_by(OutboxEmail.id)
    ).all()
    return [(n.to_address, n.code) for n in notices]


def test_confirming_one_slot_lapses_the_other_offers_and_notifies_the_mentor(session, world):
    co1 = world.companies[0]
    first, second = world.offer(co1, 0), world.offer(co1, 24)
    visits.confirm_slot(session, first.id, world.users["co1"])
    session.expire_all()
    assert session.get(VisitSlot, first.id).state == "confirmed"
    assert session.get(VisitSlot, second.id).state == "declined"
    assert _emails(session) == [("kim@m.kr", "visit_confirmed")]
    assert session.exec(select(AuditLog.action).where(AuditLog.entity == "visit_slot")).all() == [
        "visit_confirmed"
    ]


def test_the_database_refuses_overlapping_confirmed_visits(session, world):
    a = world.offer(world.companies[0], 0)
    b = world.offer(world.companies[1], 2)  # overlaps a by 2 hours
    c = world.offer(world.companies[1], 4)  # starts when a ends: fine
    a.state = "confirmed"
    session.add(a)
    session.commit()
    b.state = "confirmed"
    session.add(b)
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    c.state = "confirmed"
    session.add(c)
    session.commit()


def test_a_company_cannot_take_a_slot_overlapping_a_confirmed_visit(session, world):
    a = world.offer(world.companies[0], 0)
    b = world.offer(world.companies[1], 1)
    visits.confirm_slot(session, a.id, world.users["co1"])
    with pytest.raises(SlotTaken, match="that slot was just taken"):
        visits.confirm_slot(session, b.id, world.users["co2"])
    session.expire_all()
    assert session.get(VisitSlot, b.id).state == "proposed"


def test_double_booking_concurrent_confirmations_give_exactly_one(engine, session, world):
    """Two companies confirm overlapping slots of one mentor at the same moment, many times."""
    for round_ in range(8):
        a = world.offer(world.companies[0], round_ * 24)
        b = world.offer(world.companies[1], round_ * 24 + 1)
        barrier = threading.Barrier(2)
        outcomes = {}

        def confirm(slot_id, user_id, key, barrier=barrier, outcomes=outcomes):
            with Session(engine) as own:
                user = own.get(User, user_id)
                barrier.wait()
                try:
                    visits.confirm_slot(own, slot_id, user)
                    outcomes[key] = "confirmed"
                except SlotTaken as exc:
                    outcomes[key] = str(exc)

        threads = [
            threading.Thread(target=confirm, args=(a.id, world.users["co1"].id, "a")),
            threading.Thread(target=confirm, args=(b.id, world.users["co2"].id, "b")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes.values())[0] == "confirmed", outcomes
        assert sorted(outcomes.values())[1].startswith("that slot was just taken"), outcomes
        session.expire_all()
        states = {session.get(VisitSlot, a.id).state, session.get(VisitSlot, b.id).state}
        assert states == {"confirmed", "proposed"}


def test_only_the_owner_acts_on_a_visit(session, world):
    slot = world.offer(world.companies[0], 0)
    with pytest.raises(LookupError):
        visits.confirm_slot(session, slot.id, world.users["co2"])
    with pytest.raises(VisitError, match="company confirms"):
        visits.confirm_slot(session, slot.id, world.users["mentor"])


def test_decline_all_needs_a_note_and_notifies(session, world):
    co1 = world.companies[0]
    slots = [world.offer(co1, 0), world.offer(co1, 24)]
    with pytest.raises(VisitError, match="note"):
        visits.decline_offers(session, co1.id, "  ", world.users["co1"])
    visits.decline_offers(session, co1.id, "Mornings do not suit us", world.users["co1"])
    session.expire_all()
    assert {session.get(VisitSlot, s.id).state for s in slots} == {"declined"}
    assert _emails(session) == [("kim@m.kr", "offers_declined")]
    with pytest.raises(VisitError, match="no offered slots"):
        visits.decline_offers(session, co1.id, "again", world.users["co1"])


def test_cancel_and_reschedule_notify_the_other_side(session, world):
    co1 = world.companies[0]
    a, b = world.offer(co1, 0), world.offer(co1, 48)
    visits.confirm_slot(session, a.id, world.users["co1"])
    with pytest.raises(VisitError, match="reason"):
        visits.cancel_visit(session, a.id, "", world.users["mentor"])
    visits.cancel_visit(session, a.id, "Sick", world.users["mentor"])
    session.expire_all()
    cancelled = session.get(VisitSlot, a.id)
    assert (cancelled.note, cancelled.reason_code, cancelled.closed_by) == ("Sick", "cancelled", "mentor")
    assert _emails(session)[-1] == ("co1@c.kr", "visit_cancelled")
    b = session.get(VisitSlot, b.id)
    b.state = "proposed"
    session.add(b)
    session.commit()
    visits.confirm_slot(session, b.id, world.users["co1"])
    visits.cancel_visit(session, b.id, "Audit that week", world.users["co1"], reschedule=True)
    assert _emails(session)[-1] == ("kim@m.kr", "visit_reschedule")
    actions = session.exec(select(AuditLog.action).where(AuditLog.entity == "visit_slot")).all()
    assert actions == ["visit_confirmed", "visit_cancelled", "visit_confirmed", "visit_reschedule_requested"]
    with pytest.raises(VisitError, match="cancelled"):
        visits.cancel_visit(session, b.id, "again", world.users["co1"])


def test_mark_done_only_by_the_mentor_after_the_start(session, world):
    slot = world.offer(world.companies[0], 0)
    visits.confirm_slot(session, slot.id, world.users["co1"])
    with pytest.raises(VisitError, match="once it has started"):
        visits.mark_done(session, slot.id, "Line audit done", world.users["mentor"])
    slot = session.get(VisitSlot, slot.id)
    slot.starts_at, slot.ends_at = utcnow() - timedelta(hours=5), utcnow() - timedelta(hours=1)
    session.add(slot)
    session.commit()
    with pytest.raises(VisitError, match="only the mentor"):
        visits.mark_done(session, slot.id, "report", world.users["co1"])
    visits.mark_done(session, slot.id, "Line audit done; MES plan agreed", world.users["mentor"])
    session.expire_all()
    assert session.get(VisitSlot, slot.id).state == "done"
    assert session.get(VisitSlot, slot.id).report.startswith("Line audit")


def test_calendar_feed_has_stable_uids_seoul_times_and_cancellations(session, world):
    co1 = world.companies[0]
    slot = world.offer(co1, 0)
    visits.confirm_slot(session, slot.id, world.users["co1"])
    first = Calendar.from_ical(calendar_feed.feed(session, mentor_id=world.mentor.id))
    (event,) = first.walk("VEVENT")
    assert str(event["uid"]) == f"visit-{slot.id}@mentoring.jbsf.kr"
    assert event.decoded("dtstart").utcoffset() == timedelta(hours=9)
    assert event.decoded("dtstart") == world.start
    assert str(event["status"]) == "CONFIRMED"
    visits.cancel_visit(session, slot.id, "Sick", world.users["mentor"])
    again = Calendar.from_ical(calendar_feed.feed(session, company_id=co1.id))
    (cancelled,) = again.walk("VEVENT")
    assert str(cancelled["uid"]) == str(event["uid"]) and str(cancelled["status"]) == "CANCELLED"
    assert int(cancelled["sequence"]) >= int(event["sequence"])
    other = Calendar.from_ical(calendar_feed.feed(session, company_id=world.companies[1].id))
    assert other.walk("VEVENT") == []
    single = Calendar.from_ical(calendar_feed.single_visit(session, session.get(VisitSlot, slot.id)))
    assert len(single.walk("VEVENT")) == 1
