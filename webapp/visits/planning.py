"""Offering visit slots: approved assignments -> the slot proposer (matcher.slots) -> offers.

`offer_visits` finds every approved assignment whose company needs its next visit and has no
open offer, asks the proposer for candidate slots around everything already fixed (confirmed
visits and open offers of the same mentors), stores them as proposed visit slots and queues an
email to each company. It is idempotent: the scheduler calls it on every poll, and the web app
after approving a run and after a company declines its offers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from matcher.slots import (
    CompanyCalendar,
    ConfirmedVisit,
    MentorCalendar,
    SlotAssignment,
    SlotRequest,
    SlotSettings,
    TimeRange,
    Window,
    propose_slots,
)
from webapp.core.audit import Entity, audit
from webapp.core.clock import SEOUL, local_time, utcnow
from webapp.core.db import get_existing, id_of
from webapp.core.notifications import notify_company, notify_coordinators
from webapp.directory.models import Company, CompanyBlockedTime, Mentor, MentorAvailability, MentorDayOff
from webapp.engagements.visits import engagement_days_off
from webapp.matching.models import Assignment, AssignmentState
from webapp.matching.service import parse_ref
from webapp.visits.closures import closed_days
from webapp.visits.models import SlotState, VisitPreference, VisitSlot
from webapp.visits.pages import company_page
from webapp.visits.preferences import Preferences, blocked_times, saved_preferences
from webapp.visits.queries import offer_in_force

log = logging.getLogger(__name__)

# Days a mentor spends resident at a company are never offered for visits (this far ahead).
RESIDENT_LOOKAHEAD = timedelta(weeks=26)
WITHDRAWN_NOTE = "withdrawn: the company's mentor changed"
# Without declared availability a mentor is taken to work weekdays 09:00-18:00.
DEFAULT_WINDOWS = tuple(Window(day, time(9), time(18)) for day in range(5))


@dataclass(frozen=True)
class VisitPolicy:
    """How visits are planned (app config VISIT_MINUTES, VISITS_PER_WEEK, ...)."""

    visit_minutes: int = 240  # a half day; 480 for a full day
    visits_per_week: int = 2
    engagement_weeks: int = 8
    slots_per_offer: int = 3
    horizon_weeks: int = 4
    max_visits_per_day: int = 2
    min_gap_days: int = 2

    @classmethod
    def from_config(cls, config: dict) -> VisitPolicy:
        names = cls.__dataclass_fields__
        return cls(**{name: int(config[name.upper()]) for name in names if name.upper() in config})


def _open_offer_companies(session: Session) -> set[int]:
    return set(
        session.exec(
            select(VisitSlot.company_id).where(
                VisitSlot.state == SlotState.proposed.value, VisitSlot.starts_at > utcnow()
            )
        )
    )


def withdraw_stale_offers(session: Session, now: datetime) -> int:
    """Withdraw the open offers of mentors no longer in force for their company (re-matched or
    ended), so the company sees only its mentor's times and the new mentor can be offered.
    A conditional update: an offer confirmed meanwhile is left alone. The caller commits."""
    stale = session.execute(
        sa.update(VisitSlot)
        .where(col(VisitSlot.state) == SlotState.proposed.value, ~offer_in_force())
        .values(state=SlotState.cancelled.value, note=WITHDRAWN_NOTE, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if stale:
        audit(session, None, "offers_withdrawn", Entity.visit_slot, actor="visit planning", slots=stale)
    return stale


def assignments_needing_visits(session: Session, policy: VisitPolicy, now: datetime) -> list[Assignment]:
    """Approved assignments whose company has fewer upcoming visits than a week's worth,
    has not had the engagement's full number of visits yet, and has no open offer."""
    offered = _open_offer_companies(session)
    needing = []
    for assignment in session.exec(
        select(Assignment)
        .where(Assignment.state == AssignmentState.approved.value)
        .order_by(col(Assignment.id))
    ):
        if assignment.company_id in offered:
            continue
        visits = session.exec(
            select(VisitSlot.starts_at).where(
                VisitSlot.company_id == assignment.company_id,
                VisitSlot.mentor_id == assignment.mentor_id,
                col(VisitSlot.state).in_([SlotState.confirmed.value, SlotState.done.value]),
            )
        ).all()
        upcoming = [v for v in visits if v.replace(tzinfo=v.tzinfo or UTC) > now]
        if (
            len(visits) < policy.visits_per_week * policy.engagement_weeks
            and len(upcoming) < policy.visits_per_week
        ):
            needing.append(assignment)
    return needing


def _mentor_calendar(
    session: Session, mentor: Mentor, today: date, closed: frozenset[date]
) -> MentorCalendar:
    windows = tuple(
        Window(w.weekday, w.starts, w.ends)
        for w in session.exec(select(MentorAvailability).where(MentorAvailability.mentor_id == mentor.id))
    )
    days_off = frozenset(
        session.exec(
            select(col(MentorDayOff.day)).where(
                MentorDayOff.mentor_id == mentor.id, MentorDayOff.day >= today
            )
        )
    ) | engagement_days_off(session, id_of(mentor), today, today + RESIDENT_LOOKAHEAD)
    return MentorCalendar(
        id=f"m-{mentor.id}",
        lat=mentor.lat,
        lon=mentor.lon,
        windows=windows or DEFAULT_WINDOWS,
        days_off=days_off | closed,  # public holidays and closure days are everyone's days off
    )


def _company_calendar(
    session: Session, company: Company, now: datetime, horizon_days: int
) -> CompanyCalendar:
    """The company's blocked times, the times it declined (not offered again) and every time
    outside the preferences it gave when it last declined."""
    blocked = [
        (b.starts_at, b.ends_at)
        for b in session.exec(
            select(CompanyBlockedTime).where(
                CompanyBlockedTime.company_id == company.id, CompanyBlockedTime.ends_at > now
            )
        )
    ]
    blocked += [
        (v.starts_at, v.ends_at)
        for v in session.exec(
            select(VisitSlot).where(
                VisitSlot.company_id == company.id,
                VisitSlot.state == SlotState.declined.value,
                VisitSlot.ends_at > now,
            )
        )
    ]
    ranges = [TimeRange(local_time(a), local_time(b)) for a, b in blocked]
    today = now.astimezone(SEOUL).date()
    ranges += [
        TimeRange(a, b)
        for a, b in blocked_times(saved_preferences(session, id_of(company)), today, horizon_days)
    ]
    return CompanyCalendar(id=f"c-{company.id}", lat=company.lat, lon=company.lon, blocked=tuple(ranges))


def _fixed_visits(session: Session, mentor_ids: set[int], now: datetime) -> tuple[ConfirmedVisit, ...]:
    """Confirmed visits and open offers of these mentors: new offers must fit around both, so
    whichever offers companies confirm, no mentor is double booked."""
    rows = session.exec(
        select(VisitSlot).where(
            col(VisitSlot.mentor_id).in_(mentor_ids),
            VisitSlot.ends_at > now - timedelta(days=7),
            col(VisitSlot.state).in_([SlotState.confirmed.value, SlotState.proposed.value]),
        )
    )
    return tuple(
        ConfirmedVisit(
            f"m-{v.mentor_id}", f"c-{v.company_id}", local_time(v.starts_at), local_time(v.ends_at)
        )
        for v in rows
    )


def build_request(
    session: Session, assignments: list[Assignment], policy: VisitPolicy, now: datetime
) -> SlotRequest:
    today = now.astimezone(SEOUL).date()
    mentors = {a.mentor_id: get_existing(session, Mentor, a.mentor_id) for a in assignments}
    fixed = _fixed_visits(session, set(mentors), now)
    # The companies of fixed visits are needed too: travel to and from them takes time.
    company_ids = {a.company_id for a in assignments} | {parse_ref(v.company_id) for v in fixed}
    companies = [get_existing(session, Company, company_id) for company_id in sorted(company_ids)]
    start = today + timedelta(days=1)
    horizon_days = 7 * policy.horizon_weeks + 1
    closed = frozenset(closed_days(session, start, start + timedelta(days=horizon_days)))
    return SlotRequest(
        start=start,
        weeks=policy.horizon_weeks,
        mentors=tuple(_mentor_calendar(session, m, today, closed) for m in mentors.values()),
        companies=tuple(_company_calendar(session, c, now, horizon_days) for c in companies),
        assignments=tuple(
            SlotAssignment(f"m-{a.mentor_id}", f"c-{a.company_id}", policy.slots_per_offer)
            for a in assignments
        ),
        confirmed=fixed,
        settings=SlotSettings(
            visit_minutes=policy.visit_minutes,
            max_visits_per_day=policy.max_visits_per_day,
            min_gap_days=policy.min_gap_days,
        ),
    )


def _names(session: Session, assignment: Assignment) -> dict[str, str]:
    mentor, company = session.get(Mentor, assignment.mentor_id), session.get(Company, assignment.company_id)
    return {"mentor": mentor.name if mentor else "", "company": company.name if company else ""}


def _tell_none_fit(session: Session, assignment: Assignment, names: dict, policy: VisitPolicy) -> None:
    """No slot fits a company that gave preferences: the company and the coordinators are told
    why, once per preference change (the scheduler retries every poll)."""
    stored = session.get(VisitPreference, assignment.company_id)
    if stored is None or Preferences.from_json(stored.model_dump()).empty:
        return
    params = {
        **names,
        "weeks": policy.horizon_weeks,
        "preferences": Preferences.from_json(stored.model_dump()).as_json(),
    }
    key = f"slots_none_fit:{assignment.id}:{stored.updated_at.isoformat()}"
    notify_company(session, assignment.company_id, "slots_none_fit", params, link=company_page(), key=key)
    notify_coordinators(session, "slots_none_fit", params, link="/coordinator/", key=key)


def offer_visits(engine: sa.Engine, policy: VisitPolicy | None = None, now: datetime | None = None) -> int:
    """Propose and store slots for every assignment that needs its next visit; returns how many."""
    policy = policy or VisitPolicy()
    now = now or utcnow()
    with Session(engine) as session:
        withdraw_stale_offers(session, now)
        assignments = assignments_needing_visits(session, policy, now)
        if not assignments:
            session.commit()
            return 0
        result = propose_slots(build_request(session, assignments, policy, now))
        stored = 0
        # One flush at the commit, not one per notice's address lookup (thousands of offers).
        with session.no_autoflush:
            for assignment, proposal in zip(assignments, result.proposals, strict=False):
                for slot in proposal.slots:
                    session.add(
                        VisitSlot(
                            mentor_id=assignment.mentor_id,
                            company_id=assignment.company_id,
                            assignment_id=assignment.id,
                            starts_at=slot.start.astimezone(UTC),
                            ends_at=slot.end.astimezone(UTC),
                        )
                    )
                    stored += 1
                names = _names(session, assignment)
                if proposal.slots:
                    times = [
                        [s.start.astimezone(UTC).isoformat(), s.end.astimezone(UTC).isoformat()]
                        for s in proposal.slots
                    ]
                    notify_company(
                        session,
                        assignment.company_id,
                        "slots_offered",
                        {**names, "times": times},
                        link=company_page(),
                    )
                else:
                    log.info("No slots for assignment %s: %s", assignment.id, proposal.reason)
                    _tell_none_fit(session, assignment, names, policy)
        audit(
            session,
            None,
            "slots_offered",
            Entity.visit_slot,
            actor="visit planning",
            **{"assignments": len(assignments), "slots": stored, **result.stats},
        )
        session.commit()
    return stored
