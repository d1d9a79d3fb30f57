"""iCalendar feeds of visits (per mentor, per company) and single-visit .ics downloads.

Event UIDs are derived from the visit id only, so a calendar that re-reads the feed replaces an
event whose time or state changed instead of adding a duplicate; cancelled visits stay in the
feed with STATUS:CANCELLED so subscribed calendars remove them.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlmodel import Session, col, select

from webapp.core.clock import SEOUL_NAME, local_time, utcnow
from webapp.core.db import get_existing
from webapp.directory.models import Company, Mentor
from webapp.visits.models import SlotState, VisitSlot

UID_DOMAIN = "mentoring.jbsf.kr"
FEED_HISTORY = timedelta(days=90)
_STATUS = {
    SlotState.confirmed.value: "CONFIRMED",
    SlotState.done.value: "CONFIRMED",
    SlotState.cancelled.value: "CANCELLED",
}


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


def visit_uid(slot: VisitSlot) -> str:
    return f"visit-{slot.id}@{UID_DOMAIN}"


def _event(slot: VisitSlot, mentor: Mentor, company: Company) -> Event:
    event = Event()
    event.add("uid", visit_uid(slot))
    event.add("dtstamp", local_time(slot.updated_at))
    event.add("last-modified", local_time(slot.updated_at))
    event.add("dtstart", local_time(slot.starts_at))
    event.add("dtend", local_time(slot.ends_at))
    event.add("summary", f"Smart-factory visit: {mentor.name} at {company.name}")
    event.add("location", company.address or company.name)
    event.add(
        "description",
        f"Mentor {mentor.name} ({mentor.phone or mentor.email}); "
        f"company contact {company.contact_name} {company.contact_phone}".strip(),
    )
    event.add("status", _STATUS.get(slot.state, "TENTATIVE"))
    # Increases whenever the visit changes, as RFC 5545 asks, so clients take the update.
    event.add("sequence", int(local_time(slot.updated_at).timestamp()) // 60 % 2_000_000_000)
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Jeonbuk smart-factory mentoring//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", SEOUL_NAME)
    return calendar


def feed(
    session: Session,
    *,
    mentor_id: int | None = None,
    company_id: int | None = None,
    now: datetime | None = None,
) -> bytes:
    """The .ics feed of one mentor's or one company's visits (confirmed, done and cancelled)."""
    now = now or utcnow()
    query = (
        select(VisitSlot, Mentor, Company)
        .join(Mentor, col(Mentor.id) == VisitSlot.mentor_id)
        .join(Company, col(Company.id) == VisitSlot.company_id)
        .where(col(VisitSlot.state).in_(list(_STATUS)), VisitSlot.ends_at >= now - FEED_HISTORY)
    )
    if mentor_id is not None:
        query = query.where(VisitSlot.mentor_id == mentor_id)
        name = f"Mentoring visits: {get_existing(session, Mentor, mentor_id).name}"
    else:
        query = query.where(VisitSlot.company_id == company_id)
        name = f"Mentoring visits: {get_existing(session, Company, company_id).name}"
    calendar = _calendar(name)
    for slot, mentor, company in session.exec(query.order_by(col(VisitSlot.starts_at))):
        calendar.add_component(_event(slot, mentor, company))
    return calendar.to_ical()


def single_visit(session: Session, slot: VisitSlot) -> bytes:
    calendar = _calendar("Mentoring visit")
    calendar.add_component(
        _event(
            slot,
            get_existing(session, Mentor, slot.mentor_id),
            get_existing(session, Company, slot.company_id),
        )
    )
    return calendar.to_ical()
