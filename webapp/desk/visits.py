"""The coordinator's visits desk: every visit across mentors by week and state, with filters,
and the queue of visits that need the coordinator's attention.

Read-only over the visits package's tables; the actions on the page call the visit workflow
(webapp.visits.workflow, webapp.visits.offering) and never change a visit by themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.core.clock import aware, utcnow
from webapp.directory.models import Company, Mentor
from webapp.visits.models import SlotState, VisitSlot
from webapp.visits.week_plan import week_bounds

UNANSWERED_DAYS = 3  # an offer waiting longer than this needs a nudge
RECENT_DAYS = 30  # declines and reschedule requests older than this are history
RESCHEDULE_PREFIX = "reschedule requested"  # how webapp.visits.workflow notes a request


@dataclass
class VisitFilters:
    week: date | None = None  # a Monday
    mentor: int | None = None
    company: int | None = None
    company_name: str = ""  # part of the name or the business number
    municipality: int | None = None
    state: str = ""


def visits_statement(filters: VisitFilters):
    """(VisitSlot, Company, Mentor) rows the filters select, by start time."""
    statement = (
        select(VisitSlot, Company, Mentor)
        .join(Company, col(Company.id) == col(VisitSlot.company_id))
        .join(Mentor, col(Mentor.id) == col(VisitSlot.mentor_id))
    )
    if filters.week is not None:
        start, end = week_bounds(filters.week)
        statement = statement.where(col(VisitSlot.starts_at) >= start, col(VisitSlot.starts_at) < end)
    if filters.mentor is not None:
        statement = statement.where(col(VisitSlot.mentor_id) == filters.mentor)
    if filters.company is not None:
        statement = statement.where(col(VisitSlot.company_id) == filters.company)
    if needle := filters.company_name.strip():
        digits = needle.replace("-", "")
        statement = statement.where(
            sa.or_(
                col(Company.name).ilike(f"%{needle}%"),
                col(Company.business_reg_no).contains(digits) if digits.isdigit() else sa.false(),
            )
        )
    if filters.municipality is not None:
        statement = statement.where(col(Company.municipality_id) == filters.municipality)
    if filters.state in SlotState.__members__:
        statement = statement.where(col(VisitSlot.state) == filters.state)
    return statement.order_by(col(VisitSlot.starts_at), col(VisitSlot.id))


@dataclass
class Attention:
    kind: str  # declined | reschedule | unanswered | day_off | closure | no_report
    slot: VisitSlot
    company: Company
    mentor: Mentor
    note: str


def _settled(session: Session, company_ids: set[int], now: datetime) -> set[int]:
    """Companies that have an open offer or a confirmed visit to come (already taken care of)."""
    if not company_ids:
        return set()
    return set(
        session.exec(
            select(col(VisitSlot.company_id)).where(
                col(VisitSlot.company_id).in_(company_ids),
                col(VisitSlot.starts_at) > now,
                col(VisitSlot.state).in_([SlotState.proposed.value, SlotState.confirmed.value]),
            )
        )
    )


def needs_attention(session: Session, now: datetime | None = None) -> list[Attention]:
    """Declines with a note and reschedule requests not yet answered by new times, offers
    unanswered for UNANSWERED_DAYS, confirmed visits flagged on a mentor's new day off or a new
    closure day (webapp.visits.days_off sets VisitSlot.flag) until the coordinator sorts them out,
    and visits past their end without a report. A handful of queries whatever the number of
    visits."""
    now = now or utcnow()
    rows = session.exec(
        select(VisitSlot, Company, Mentor)
        .join(Company, col(Company.id) == col(VisitSlot.company_id))
        .join(Mentor, col(Mentor.id) == col(VisitSlot.mentor_id))
        .where(
            sa.or_(
                sa.and_(
                    col(VisitSlot.state).in_([SlotState.declined.value, SlotState.cancelled.value]),
                    col(VisitSlot.note) != "",
                    col(VisitSlot.updated_at) >= now - timedelta(days=RECENT_DAYS),
                ),
                sa.and_(
                    col(VisitSlot.state) == SlotState.proposed.value,
                    col(VisitSlot.created_at) <= now - timedelta(days=UNANSWERED_DAYS),
                    col(VisitSlot.starts_at) > now,
                ),
                sa.and_(col(VisitSlot.state) == SlotState.confirmed.value, col(VisitSlot.ends_at) < now),
                sa.and_(col(VisitSlot.state) == SlotState.done.value, col(VisitSlot.report) == ""),
                sa.and_(
                    col(VisitSlot.state) == SlotState.confirmed.value,
                    col(VisitSlot.flag) != "",
                    col(VisitSlot.starts_at) > now,
                ),
            )
        )
        .order_by(col(VisitSlot.starts_at))
    ).all()
    settled = _settled(
        session,
        {
            s.company_id
            for s, _, _ in rows
            if s.state in (SlotState.declined.value, SlotState.cancelled.value)
        },
        now,
    )
    queue: list[Attention] = []
    seen_unanswered: set[int] = set()
    for slot, company, mentor in rows:
        starts_after_now = aware(slot.starts_at) > now
        if slot.state == SlotState.declined.value and slot.company_id not in settled:
            queue.append(Attention("declined", slot, company, mentor, slot.note))
        elif (
            slot.state == SlotState.cancelled.value
            and slot.note.startswith(RESCHEDULE_PREFIX)
            and slot.company_id not in settled
        ):
            queue.append(Attention("reschedule", slot, company, mentor, slot.note.split(":", 1)[-1].strip()))
        elif slot.state == SlotState.confirmed.value and slot.flag and starts_after_now:
            queue.append(Attention(slot.flag, slot, company, mentor, ""))
        elif (
            slot.state == SlotState.proposed.value
            and starts_after_now
            and aware(slot.created_at) <= now - timedelta(days=UNANSWERED_DAYS)
            and slot.company_id not in seen_unanswered
        ):
            seen_unanswered.add(slot.company_id)  # one line per company, not per offered time
            queue.append(Attention("unanswered", slot, company, mentor, ""))
        elif slot.state in (SlotState.confirmed.value, SlotState.done.value) and not starts_after_now:
            queue.append(Attention("no_report", slot, company, mentor, ""))
    return queue
