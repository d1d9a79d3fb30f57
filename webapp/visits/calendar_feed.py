"""iCalendar feeds of visits (per mentor, per company) and single-visit .ics downloads.

Event UIDs are derived from the visit id only, so a calendar that re-reads the feed replaces an
event whose time or state changed instead of adding a duplicate; cancelled visits stay in the
feed with STATUS:CANCELLED so subscribed calendars remove them. Times are in Asia/Seoul with its
VTIMEZONE block (DTSTAMP and LAST-MODIFIED in UTC, as RFC 5545 asks); texts are in the language
of the calendar's owner (Korean unless their login chose English), from the shared catalog.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event, vText
from sqlmodel import Session, col, select

from webapp.accounts.models import User
from webapp.core.clock import SEOUL_NAME, aware, local_time, utcnow
from webapp.core.db import get_existing
from webapp.core.message_catalog import N_
from webapp.core.notifications import DEFAULT_LANGUAGE, translations
from webapp.directory.models import Company, Mentor
from webapp.visits.models import SlotState, VisitSlot
from webapp.visits.places import map_url

UID_DOMAIN = "mentoring.jbsf.kr"
FEED_HISTORY = timedelta(days=90)
_STATUS = {
    SlotState.confirmed.value: "CONFIRMED",
    SlotState.done.value: "CONFIRMED",
    SlotState.cancelled.value: "CANCELLED",
}


def visit_uid(slot: VisitSlot) -> str:
    return f"visit-{slot.id}@{UID_DOMAIN}"


def _event(slot: VisitSlot, mentor: Mentor, company: Company, language: str) -> Event:
    gettext = translations(language).gettext
    event = Event()
    event.add("uid", visit_uid(slot))
    event.add("dtstamp", aware(slot.updated_at))
    event.add("last-modified", aware(slot.updated_at))
    event.add("dtstart", local_time(slot.starts_at))
    event.add("dtend", local_time(slot.ends_at))
    names = {"mentor": mentor.name, "company": company.name}
    event.add("summary", gettext(N_("Smart-factory visit: mentor %(mentor)s at %(company)s")) % names)
    event.add("location", company.address or company.name)
    contact = " ".join(part for part in (company.contact_name, company.contact_phone) if part)
    lines = [
        gettext(N_("Mentor: %(name)s (%(contact)s)"))
        % {"name": mentor.name, "contact": mentor.phone or mentor.email},
        gettext(N_("Company contact: %(contact)s")) % {"contact": contact or "—"},
        gettext(N_("Map: %(url)s")) % {"url": map_url(company)},
    ]
    event.add("description", "\n".join(lines))
    event.add("status", _STATUS.get(slot.state, "TENTATIVE"))
    # Increases whenever the visit changes, as RFC 5545 asks, so clients take the update.
    event.add("sequence", int(local_time(slot.updated_at).timestamp()) // 60 % 2_000_000_000)
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Jeonbuk smart-factory mentoring//KO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", vText(name))  # escaped like SUMMARY: a line break cannot break the feed
    calendar.add("x-wr-timezone", SEOUL_NAME)
    return calendar


def _finish(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()  # the VTIMEZONE of Asia/Seoul for the events' TZID
    return calendar.to_ical()


def calendar_language(
    session: Session, *, mentor_id: int | None = None, company_id: int | None = None
) -> str:
    """The language of the login of the calendar's owner (Korean without one)."""
    column = User.mentor_id if mentor_id is not None else User.company_id
    language = session.exec(
        select(User.language).where(column == (mentor_id if mentor_id is not None else company_id))
    ).first()
    return language or DEFAULT_LANGUAGE


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
    language = calendar_language(session, mentor_id=mentor_id, company_id=company_id)
    if mentor_id is not None:
        query = query.where(VisitSlot.mentor_id == mentor_id)
        owner = get_existing(session, Mentor, mentor_id).name
    else:
        query = query.where(VisitSlot.company_id == company_id)
        owner = get_existing(session, Company, company_id).name
    calendar = _calendar(translations(language).gettext(N_("Mentoring visits: %(name)s")) % {"name": owner})
    for slot, mentor, company in session.exec(query.order_by(col(VisitSlot.starts_at))):
        calendar.add_component(_event(slot, mentor, company, language))
    return _finish(calendar)


def single_visit(session: Session, slot: VisitSlot, language: str = DEFAULT_LANGUAGE) -> bytes:
    calendar = _calendar(translations(language).gettext(N_("Mentoring visit")))
    calendar.add_component(
        _event(
            slot,
            get_existing(session, Mentor, slot.mentor_id),
            get_existing(session, Company, slot.company_id),
            language,
        )
    )
    return _finish(calendar)
