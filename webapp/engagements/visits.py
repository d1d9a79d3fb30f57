"""The visits a resident engagement still needs, offered through the existing visit workflow.

An agreed or started engagement has three fixed meetings with the company: the kickoff in its
first week, a mid-term check in its middle week and the completion evaluation in its last week.
Each is offered to the company as a few visit slots of the team's lead (confirm one / decline
all / reschedule, iCalendar feeds and the no-double-booking rule are the visit workflow's own).
One meeting is offered at a time: the next one once the previous is confirmed or done, because
confirming a slot lapses the company's other open offers. Days are working days in
Asia/Seoul, never a Korean public holiday, a closure day or a day off of the lead, and fit the
preferences the company gave when it last declined; a slot never overlaps the lead's confirmed
visits, nor a time the company already declined for the same meeting. Idempotent: the
scheduler calls it every poll.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.core.audit import Entity, audit
from webapp.core.clock import SEOUL, aware, utcnow
from webapp.core.db import get_existing, id_of
from webapp.core.notifications import notify_company, notify_coordinators
from webapp.directory.models import Company, Mentor, MentorDayOff
from webapp.engagements.instance import teams
from webapp.engagements.models import Engagement, EngagementMember, EngagementState
from webapp.engagements.weeks import week_end, week_start
from webapp.programs.models import Cohort
from webapp.visits.closures import working_days
from webapp.visits.models import SlotState, VisitPreference, VisitPurpose, VisitSlot
from webapp.visits.pages import company_page, desk_attention
from webapp.visits.preferences import blocked_times, saved_preferences

log = logging.getLogger(__name__)

OFFERED_STATES = (EngagementState.agreed.value, EngagementState.on_site.value)
SLOT_TIMES = (time(10), time(14))  # two-hour meetings, Asia/Seoul
MEETING = timedelta(hours=2)
SLOTS_PER_OFFER = 3
PURPOSE_KO = {"kickoff": "착수 회의", "midterm": "중간 점검", "completion": "완료 평가"}


def target_week(engagement: Engagement, purpose: VisitPurpose) -> int:
    if purpose is VisitPurpose.kickoff:
        return engagement.start_week
    if purpose is VisitPurpose.midterm:
        return engagement.start_week + engagement.weeks // 2
    return engagement.start_week + engagement.weeks - 1


def next_purpose(session: Session, engagement: Engagement) -> VisitPurpose | None:
    """The first meeting without a confirmed or done visit; None when all three are held."""
    held = set(
        session.exec(
            select(VisitSlot.purpose).where(
                col(VisitSlot.engagement_id) == id_of(engagement),
                col(VisitSlot.state).in_([SlotState.confirmed.value, SlotState.done.value]),
            )
        )
    )
    return next((p for p in VisitPurpose if p.value not in held), None)


def _candidate_days(
    session: Session, cohort: Cohort, engagement: Engagement, purpose: VisitPurpose, lead: int, today: date
) -> list[date]:
    """Working days that are no day off of the lead: the meeting's week first, then the days
    after it up to the engagement's end (a week already past, or one that the company's
    preferences or the lead's days off leave short, still gets its offers)."""
    week = target_week(engagement, purpose)
    first = max(week_start(cohort.first_monday, week), today + timedelta(days=1))
    last = max(engagement.end_date, week_end(cohort.first_monday, week), first)
    days_off = set(
        session.exec(
            select(col(MentorDayOff.day)).where(
                MentorDayOff.mentor_id == lead, MentorDayOff.day >= first, MentorDayOff.day <= last
            )
        )
    )
    return [d for d in working_days(session, first, last) if d not in days_off]


def _slots(session: Session, mentor_id: int, engagement: Engagement, purpose: VisitPurpose, days: list[date]):
    taken = session.exec(
        select(col(VisitSlot.starts_at), col(VisitSlot.ends_at)).where(
            sa.or_(
                sa.and_(
                    col(VisitSlot.mentor_id) == mentor_id, col(VisitSlot.state) == SlotState.confirmed.value
                ),
                sa.and_(
                    col(VisitSlot.engagement_id) == id_of(engagement),
                    col(VisitSlot.purpose) == purpose.value,
                    col(VisitSlot.state) == SlotState.declined.value,
                ),
            )
        )
    ).all()
    busy = [(aware(s), aware(e)) for s, e in taken]
    if days:  # the times the company said do not suit when it last declined
        prefs = saved_preferences(session, engagement.company_id)
        busy += list(blocked_times(prefs, days[0], (days[-1] - days[0]).days + 1))
    out = []
    for day in days:
        for at in SLOT_TIMES:
            start = datetime.combine(day, at, SEOUL).astimezone(UTC)
            end = start + MEETING
            if any(s < end and start < e for s, e in busy):
                continue
            out.append((start, end))
            break  # one slot a day, so the company gets a choice of days
        if len(out) == SLOTS_PER_OFFER:
            break
    return out


def offer_engagement_visits(engine: sa.Engine, today: date, now: datetime | None = None) -> int:
    """Offer the next meeting of every agreed or started engagement that has no open offer."""
    with Session(engine) as session:
        stored = offer_in(session, today, now)
        session.commit()
    return stored


def offer_in(session: Session, today: date, now: datetime | None = None) -> int:
    """`offer_engagement_visits` in the caller's transaction; returns the slots stored."""
    now = now or utcnow()
    stored = 0
    engagements = session.exec(
        select(Engagement).where(col(Engagement.state).in_(OFFERED_STATES)).order_by(col(Engagement.id))
    ).all()
    open_offers = set(
        session.exec(
            select(VisitSlot.company_id).where(
                col(VisitSlot.state) == SlotState.proposed.value, col(VisitSlot.starts_at) > now
            )
        )
    )
    leads = {e: team[0] for e, team in teams(session, [id_of(e) for e in engagements]).items() if team}
    for engagement in engagements:
        if engagement.company_id in open_offers or id_of(engagement) not in leads:
            continue
        purpose = next_purpose(session, engagement)
        if purpose is None or engagement.end_date < today:
            continue
        cohort = get_existing(session, Cohort, engagement.cohort_id)
        lead = leads[id_of(engagement)]
        days = _candidate_days(session, cohort, engagement, purpose, lead, today)
        slots = _slots(session, lead, engagement, purpose, days)
        for start, end in slots:
            session.add(
                VisitSlot(
                    mentor_id=leads[id_of(engagement)],
                    company_id=engagement.company_id,
                    engagement_id=id_of(engagement),
                    purpose=purpose.value,
                    starts_at=start,
                    ends_at=end,
                )
            )
        if slots:
            stored += len(slots)
            _tell_company(session, engagement, lead, purpose, slots)
        else:
            _tell_none_fit(session, engagement, lead, purpose, days)
    if stored:
        audit(
            session, None, "engagement_slots_offered", Entity.visit_slot, actor="visit planning", slots=stored
        )
    session.flush()
    return stored


def _tell_company(
    session: Session, engagement: Engagement, lead: int, purpose: VisitPurpose, slots: list
) -> None:
    """The offer by notification, in the company's language, linking to the page that confirms."""
    company = get_existing(session, Company, engagement.company_id)
    times = [[s.astimezone(UTC).isoformat(), e.astimezone(UTC).isoformat()] for s, e in slots]
    params = {
        "meeting": PURPOSE_KO[purpose.value],
        "mentor": get_existing(session, Mentor, lead).name,
        "company": company.name,
        "address": company.address or "—",
        "times": times,
    }
    notify_company(session, id_of(company), "meeting_offered", params, link=company_page())


def _tell_none_fit(
    session: Session, engagement: Engagement, lead: int, purpose: VisitPurpose, days: list[date]
) -> None:
    """No time of the meeting's days fits the preferences the company gave: the company and the
    coordinators are told why, once per preference change (the scheduler retries every poll)."""
    stored = session.get(VisitPreference, engagement.company_id)
    prefs = saved_preferences(session, engagement.company_id)
    if stored is None or prefs.empty:
        return
    weeks = (days[-1] - days[0]).days // 7 + 1 if days else 1
    params = {
        "mentor": get_existing(session, Mentor, lead).name,
        "company": get_existing(session, Company, engagement.company_id).name,
        "weeks": weeks,
        "preferences": prefs.as_json(),
    }
    key = f"meeting_none_fit:{id_of(engagement)}:{purpose.value}:{stored.updated_at.isoformat()}"
    notify_company(session, engagement.company_id, "slots_none_fit", params, link=company_page(), key=key)
    notify_coordinators(session, "slots_none_fit", params, link=desk_attention(), key=key)


def engagement_days_off(session: Session, mentor_id: int, first: date, last: date) -> set[date]:
    """Days a mentor is resident at a company (agreed or started engagements): a visiting
    mentor's offers leave them out."""
    return resident_days(session, [mentor_id], first, last).get(mentor_id, set())


def resident_days(
    session: Session, mentor_ids: Collection[int], first: date, last: date
) -> dict[int, set[date]]:
    """`engagement_days_off` of many mentors in one query (mentors without any are left out)."""
    rows = session.exec(
        select(col(EngagementMember.mentor_id), col(Engagement.start_date), col(Engagement.end_date))
        .join_from(Engagement, EngagementMember, col(Engagement.id) == EngagementMember.engagement_id)
        .where(
            col(EngagementMember.mentor_id).in_(mentor_ids),
            col(Engagement.state).in_((*OFFERED_STATES, EngagementState.planned.value)),
            col(Engagement.end_date) >= first,
            col(Engagement.start_date) <= last,
        )
    ).all()
    days: dict[int, set[date]] = {}
    for mentor_id, start, end in rows:
        day = max(start, first)
        while day <= min(end, last):
            days.setdefault(mentor_id, set()).add(day)
            day += timedelta(days=1)
    return days
