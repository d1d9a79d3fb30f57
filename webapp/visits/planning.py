"""Offering visit slots: approved assignments -> the slot proposer (matcher.slots) -> offers.

`offer_visits` finds every approved assignment whose company needs its next visit and has no
open offer, asks the proposer for candidate slots around everything already fixed (confirmed
visits and open offers of the same mentors), stores them as proposed visit slots and queues an
email to each company. It is idempotent: the scheduler calls it on every poll, and the web app
after approving a run and after a company declines its offers.

It works through the mentors in batches (`MENTORS_PER_BATCH`; one mentor's offers never
constrain another's, see matcher.slots). Each batch is one transaction: it reads what it needs
with one query per table, however many mentors and companies, writes its slots in one insert
and its notices in one pass, and commits, so the offers appear batch by batch (the run's page
shows the progress) and other writers wait for one batch at most. A batch first takes the
offers' lock (`_lock`) and only then reads, so two passes at once (the web app's and the
scheduler's) never offer a company twice nor book a mentor twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import cast

import sqlalchemy as sa
from sqlmodel import Session, col, select

from matcher.slots import (
    CompanyCalendar,
    ConfirmedVisit,
    MentorCalendar,
    Proposal,
    SlotAssignment,
    SlotRequest,
    SlotSettings,
    TimeRange,
    Window,
    propose_slots,
)
from webapp.core.audit import Entity, audit
from webapp.core.clock import SEOUL, local_time, utcnow
from webapp.core.db import serialize
from webapp.core.notifications import Recipient, company_recipients, notify, notify_coordinators
from webapp.directory.models import Company, CompanyBlockedTime, Mentor, MentorAvailability, MentorDayOff
from webapp.engagements.visits import resident_days
from webapp.matching.models import Assignment, AssignmentState
from webapp.matching.service import parse_ref
from webapp.visits.closures import closed_days
from webapp.visits.models import SlotState, VisitPreference, VisitSlot
from webapp.visits.pages import company_page, desk_attention
from webapp.visits.preferences import Preferences, blocked_times
from webapp.visits.queries import offer_in_force

log = logging.getLogger(__name__)

# Days a mentor spends resident at a company are never offered for visits (this far ahead).
RESIDENT_LOOKAHEAD = timedelta(weeks=26)
WITHDRAWN_NOTE = "withdrawn: the company's mentor changed"
# Without declared availability a mentor is taken to work weekdays 09:00-18:00.
DEFAULT_WINDOWS = tuple(Window(day, time(9), time(18)) for day in range(5))
# Mentors per transaction: about 500 companies, well under a second of work.
MENTORS_PER_BATCH = 100
OFFERS_LOCK = "visit offers"
COUNTED = (SlotState.confirmed.value, SlotState.done.value)


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


@dataclass(frozen=True)
class Need:
    """An approved assignment whose company needs its next visit offered."""

    assignment_id: int
    mentor_id: int
    company_id: int


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


def assignments_needing_visits(
    session: Session, policy: VisitPolicy, now: datetime, mentor_ids: list[int] | None = None
) -> list[Need]:
    """Approved assignments (of `mentor_ids`, or all) whose company has fewer upcoming visits
    than a week's worth, has not had the engagement's full number of visits yet, and has no
    open offer. One query."""
    counted = (
        select(
            col(VisitSlot.company_id),
            col(VisitSlot.mentor_id),
            sa.func.count().label("visits"),
            sa.func.sum(sa.case((col(VisitSlot.starts_at) > now, 1), else_=0)).label("upcoming"),
        )
        .where(col(VisitSlot.state).in_(COUNTED))
        .group_by(col(VisitSlot.company_id), col(VisitSlot.mentor_id))
        .subquery()
    )
    offered = select(col(VisitSlot.company_id)).where(
        VisitSlot.state == SlotState.proposed.value, col(VisitSlot.starts_at) > now
    )
    query = (
        select(col(Assignment.id), col(Assignment.mentor_id), col(Assignment.company_id))
        .outerjoin(
            counted,
            sa.and_(
                counted.c.company_id == Assignment.company_id, counted.c.mentor_id == Assignment.mentor_id
            ),
        )
        .where(
            Assignment.state == AssignmentState.approved.value,
            col(Assignment.company_id).not_in(offered),
            sa.func.coalesce(counted.c.visits, 0) < policy.visits_per_week * policy.engagement_weeks,
            sa.func.coalesce(counted.c.upcoming, 0) < policy.visits_per_week,
        )
        .order_by(col(Assignment.id))
    )
    if mentor_ids is not None:
        query = query.where(col(Assignment.mentor_id).in_(mentor_ids))
    return [Need(cast(int, assignment_id), m, c) for assignment_id, m, c in session.exec(query)]


def _lock(session: Session, now: datetime) -> None:
    """The first statements of a pass's and each batch's transaction: offers are made by one
    transaction at a time across processes (PostgreSQL waits in `serialize`, SQLite at the
    update that follows, which takes its write lock before anything is read), and the stale
    offers are withdrawn first."""
    serialize(session, OFFERS_LOCK)
    withdraw_stale_offers(session, now)


@dataclass
class Batch:
    """What one batch read: the proposer's request and what the offers and notices need."""

    request: SlotRequest
    needs: list[Need]
    mentor_names: dict[int, str]
    company_names: dict[int, str]
    preferences: dict[int, VisitPreference]


def load_batch(session: Session, needs: list[Need], policy: VisitPolicy, now: datetime) -> Batch:
    """The request for these assignments: one query per table (mentors, their availability,
    days off, resident days, confirmed visits and open offers; companies, their blocked times,
    declined times and preferences; closure days)."""
    today = now.astimezone(SEOUL).date()
    start = today + timedelta(days=1)
    horizon_days = 7 * policy.horizon_weeks + 1
    mentor_ids = sorted({n.mentor_id for n in needs})
    needing = sorted({n.company_id for n in needs})
    fixed = _fixed_visits(session, mentor_ids, now)
    # The companies of fixed visits are needed too: travel to and from them takes time.
    company_ids = sorted(set(needing) | {parse_ref(v.company_id) for v in fixed})
    mentors = _places(session, Mentor, mentor_ids)
    companies = _places(session, Company, company_ids)
    preferences = {
        p.company_id: p
        for p in session.exec(select(VisitPreference).where(col(VisitPreference.company_id).in_(needing)))
    }
    closed = frozenset(closed_days(session, start, start + timedelta(days=horizon_days)))
    windows = _windows(session, mentor_ids)
    days_off = _days_off(session, mentor_ids, today)
    blocked = _blocked(session, needing, now, preferences, today, horizon_days)
    request = SlotRequest(
        start=start,
        weeks=policy.horizon_weeks,
        mentors=tuple(
            MentorCalendar(
                id=f"m-{m}",
                lat=lat,
                lon=lon,
                windows=windows.get(m) or DEFAULT_WINDOWS,
                days_off=frozenset(days_off[m]) | closed,  # holidays and closure days: everyone's
            )
            for m, (_, lat, lon) in mentors.items()
        ),
        companies=tuple(
            CompanyCalendar(id=f"c-{c}", lat=lat, lon=lon, blocked=tuple(blocked[c]))
            for c, (_, lat, lon) in companies.items()
        ),
        assignments=tuple(
            SlotAssignment(f"m-{n.mentor_id}", f"c-{n.company_id}", policy.slots_per_offer) for n in needs
        ),
        confirmed=fixed,
        settings=SlotSettings(
            visit_minutes=policy.visit_minutes,
            max_visits_per_day=policy.max_visits_per_day,
            min_gap_days=policy.min_gap_days,
        ),
    )
    return Batch(
        request,
        needs,
        {m: name for m, (name, _, _) in mentors.items()},
        {c: name for c, (name, _, _) in companies.items()},
        preferences,
    )


def _places(
    session: Session, table: type[Mentor] | type[Company], ids: list[int]
) -> dict[int, tuple[str, float, float]]:
    """Name, latitude and longitude of these mentors or companies, by id."""
    rows = session.exec(
        select(col(table.id), col(table.name), col(table.lat), col(table.lon)).where(col(table.id).in_(ids))
    )
    return {cast(int, i): (name, lat, lon) for i, name, lat, lon in rows}


def _windows(session: Session, mentor_ids: list[int]) -> dict[int, tuple[Window, ...]]:
    windows: dict[int, list[Window]] = defaultdict(list)
    for mentor_id, weekday, starts, ends in session.exec(
        select(
            col(MentorAvailability.mentor_id),
            col(MentorAvailability.weekday),
            col(MentorAvailability.starts),
            col(MentorAvailability.ends),
        ).where(col(MentorAvailability.mentor_id).in_(mentor_ids))
    ):
        windows[mentor_id].append(Window(weekday, starts, ends))
    return {m: tuple(ws) for m, ws in windows.items()}


def _days_off(session: Session, mentor_ids: list[int], today: date) -> dict[int, set[date]]:
    """Declared days off and the days resident at a company (engagements)."""
    days = defaultdict(set, resident_days(session, mentor_ids, today, today + RESIDENT_LOOKAHEAD))
    for mentor_id, day in session.exec(
        select(col(MentorDayOff.mentor_id), col(MentorDayOff.day)).where(
            col(MentorDayOff.mentor_id).in_(mentor_ids), MentorDayOff.day >= today
        )
    ):
        days[mentor_id].add(day)
    return days


def _blocked(
    session: Session,
    company_ids: list[int],
    now: datetime,
    preferences: dict[int, VisitPreference],
    today: date,
    horizon_days: int,
) -> dict[int, list[TimeRange]]:
    """Per company: its blocked times, the times it declined (not offered again) and every time
    outside the preferences it gave when it last declined."""
    blocked: dict[int, list[TimeRange]] = defaultdict(list)
    blocks = select(
        col(CompanyBlockedTime.company_id), col(CompanyBlockedTime.starts_at), col(CompanyBlockedTime.ends_at)
    ).where(col(CompanyBlockedTime.company_id).in_(company_ids), CompanyBlockedTime.ends_at > now)
    declined = select(col(VisitSlot.company_id), col(VisitSlot.starts_at), col(VisitSlot.ends_at)).where(
        col(VisitSlot.company_id).in_(company_ids),
        VisitSlot.state == SlotState.declined.value,
        VisitSlot.ends_at > now,
    )
    rows = [*session.exec(blocks), *session.exec(declined)]
    for company_id, starts_at, ends_at in rows:
        blocked[company_id].append(TimeRange(local_time(starts_at), local_time(ends_at)))
    for company_id, stored in preferences.items():
        prefs = Preferences.from_json(stored.model_dump())
        blocked[company_id] += [TimeRange(a, b) for a, b in blocked_times(prefs, today, horizon_days)]
    return blocked


def _fixed_visits(session: Session, mentor_ids: list[int], now: datetime) -> tuple[ConfirmedVisit, ...]:
    """Confirmed visits and open offers of these mentors: new offers must fit around both, so
    whichever offers companies confirm, no mentor is double booked."""
    rows = session.exec(
        select(VisitSlot.mentor_id, VisitSlot.company_id, VisitSlot.starts_at, VisitSlot.ends_at).where(
            col(VisitSlot.mentor_id).in_(mentor_ids),
            VisitSlot.ends_at > now - timedelta(days=7),
            col(VisitSlot.state).in_([SlotState.confirmed.value, SlotState.proposed.value]),
        )
    )
    return tuple(
        ConfirmedVisit(f"m-{mentor_id}", f"c-{company_id}", local_time(starts_at), local_time(ends_at))
        for mentor_id, company_id, starts_at, ends_at in rows
    )


def store_offers(session: Session, batch: Batch, proposals: tuple[Proposal, ...], policy: VisitPolicy) -> int:
    """The proposed slots in one insert, then one notice per company offered (or told why none
    fits); returns how many slots."""
    moment = utcnow()
    template = VisitSlot(mentor_id=0, company_id=0, starts_at=moment, ends_at=moment).model_dump(
        exclude={"id"}
    )
    rows = [
        {
            **template,
            "mentor_id": need.mentor_id,
            "company_id": need.company_id,
            "assignment_id": need.assignment_id,
            "starts_at": slot.start.astimezone(UTC),
            "ends_at": slot.end.astimezone(UTC),
        }
        for need, proposal in zip(batch.needs, proposals, strict=True)
        for slot in proposal.slots
    ]
    if rows:
        session.execute(sa.insert(VisitSlot), rows)
    recipients = company_recipients(session, [n.company_id for n in batch.needs])
    for need, proposal in zip(batch.needs, proposals, strict=True):
        names = {
            "mentor": batch.mentor_names[need.mentor_id],
            "company": batch.company_names[need.company_id],
        }
        recipient = recipients.get(need.company_id)
        if proposal.slots:
            times = [
                [s.start.astimezone(UTC).isoformat(), s.end.astimezone(UTC).isoformat()]
                for s in proposal.slots
            ]
            notify(session, recipient, "slots_offered", {**names, "times": times}, link=company_page())
        else:
            log.info("No slots for assignment %s: %s", need.assignment_id, proposal.reason)
            _tell_none_fit(session, need, recipient, names, batch.preferences.get(need.company_id), policy)
    return len(rows)


def _tell_none_fit(
    session: Session,
    need: Need,
    recipient: Recipient | None,
    names: dict[str, str],
    stored: VisitPreference | None,
    policy: VisitPolicy,
) -> None:
    """No slot fits a company that gave preferences: the company and the coordinators are told
    why, once per preference change (the scheduler retries every poll)."""
    prefs = Preferences.from_json(stored.model_dump()) if stored else Preferences()
    if stored is None or prefs.empty:
        return
    params = {**names, "weeks": policy.horizon_weeks, "preferences": prefs.as_json()}
    key = f"slots_none_fit:{need.assignment_id}:{stored.updated_at.isoformat()}"
    notify(session, recipient, "slots_none_fit", params, link=company_page(), key=key)
    notify_coordinators(session, "slots_none_fit", params, link=desk_attention(), key=key)


def offer_visits(engine: sa.Engine, policy: VisitPolicy | None = None, now: datetime | None = None) -> int:
    """Propose and store slots for every assignment that needs its next visit; returns how many."""
    policy = policy or VisitPolicy()
    now = now or utcnow()
    with Session(engine) as session:
        _lock(session, now)
        mentors = sorted({n.mentor_id for n in assignments_needing_visits(session, policy, now)})
        session.commit()
    stored = 0
    for first in range(0, len(mentors), MENTORS_PER_BATCH):
        with Session(engine) as session:
            _lock(session, now)  # then read again: another pass may have offered meanwhile
            needs = assignments_needing_visits(
                session, policy, now, mentors[first : first + MENTORS_PER_BATCH]
            )
            if needs:
                batch = load_batch(session, needs, policy, now)
                result = propose_slots(batch.request)
                slots = store_offers(session, batch, result.proposals, policy)
                audit(
                    session,
                    None,
                    "slots_offered",
                    Entity.visit_slot,
                    actor="visit planning",
                    **{"assignments": len(needs), "slots": slots, **result.stats},
                )
                stored += slots
            session.commit()
    return stored
