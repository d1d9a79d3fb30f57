"""Reassigning from the visits desk: a coordinator gives a company another mentor, with a reason.

What a coordinator means by "reassign this visit": from now on the company's mentor is the one
chosen. So the assignment in force changes to that mentor (in place, by a conditional update,
so a run approved or another reassignment at the same moment makes this one fail instead of
both applying; the audit entry keeps the former mentor). Then, for the company's visits with
the former mentor:

- the visit in question, when it is confirmed and the coordinator has agreed the time with the
  new mentor, moves to the new mentor at the same time (the database refuses it if the new
  mentor has another confirmed visit then; their day off is refused here);
- every other confirmed visit to come is cancelled with the reason, and the open offers are
  withdrawn (webapp.visits.planning.withdraw_stale_offers), so the new mentor's times are
  offered right after (the caller calls webapp.visits.offering.offer_now after committing).

The company, the former and the new mentor are told in their language; the coordinator may pin
the company to the new mentor for the next matching runs (webapp.desk.steering), and a pin to
the former mentor is removed (the next run would otherwise bring them back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from matcher.geo import distance_km
from webapp.core.audit import Entity, audit
from webapp.core.clock import local_time, utcnow
from webapp.core.db import id_of
from webapp.core.notifications import notify_company, notify_mentor
from webapp.desk.steering import MAX_REASON, SteeringRefused, add_pin, remove_pin
from webapp.directory.models import Company, Mentor, MentorDayOff, MentorExclusion, MentorIndustry
from webapp.directory.queries import current_assignment
from webapp.matching.models import Assignment, AssignmentState
from webapp.visits.models import ClosedReason, SlotState, VisitSlot
from webapp.visits.pages import company_page, mentor_week
from webapp.visits.planning import withdraw_stale_offers

REASSIGNED = "reassigned by a coordinator"  # the assignment's reason (webapp.matching.reasons)


class ReassignRefused(ValueError):
    """The reassignment the rules refuse; the message names the field, in the page's language."""


@dataclass
class Candidate:
    id: int
    name: str
    km: float
    load: int
    capacity: int
    qualified: bool  # declares the company's industry
    day_off: bool = False  # on the visit's day
    busy: bool = False  # another confirmed visit at the visit's time


@dataclass
class Reassigned:
    former: Mentor
    mentor: Mentor
    moved: VisitSlot | None  # the visit kept at its time with the new mentor
    cancelled: list[int] = field(default_factory=list)  # ids of the visits cancelled


def candidates(session: Session, company: Company, slot: VisitSlot, former_id: int | None) -> list[Candidate]:
    """The active mentors the company could be given (not the former one, none excluded for it):
    those declaring its industry first, nearest first; with their load, and whether the visit's
    day is their day off or its time is taken by another of their visits."""
    excluded = select(col(MentorExclusion.mentor_id)).where(MentorExclusion.company_id == company.id)
    loads = dict(
        session.execute(
            sa.select(col(Assignment.mentor_id), func.count())
            .where(col(Assignment.state) == AssignmentState.approved.value)
            .group_by(col(Assignment.mentor_id))
        ).all()
    )
    qualified = set(
        session.scalars(
            sa.select(col(MentorIndustry.mentor_id)).where(
                col(MentorIndustry.industry_code) == company.industry_code
            )
        )
    )
    day = local_time(slot.starts_at).date()
    off = set(session.scalars(sa.select(col(MentorDayOff.mentor_id)).where(col(MentorDayOff.day) == day)))
    busy = set(
        session.scalars(
            sa.select(col(VisitSlot.mentor_id)).where(
                col(VisitSlot.state) == SlotState.confirmed.value,
                col(VisitSlot.starts_at) < slot.ends_at,
                col(VisitSlot.ends_at) > slot.starts_at,
            )
        )
    )
    mentors = session.execute(
        sa.select(
            col(Mentor.id), col(Mentor.name), col(Mentor.lat), col(Mentor.lon), col(Mentor.capacity)
        ).where(col(Mentor.active), col(Mentor.id) != (former_id or 0), col(Mentor.id).not_in(excluded))
    ).all()
    found = [
        Candidate(
            id=m.id,
            name=m.name,
            km=distance_km(company.lat, company.lon, m.lat, m.lon),
            load=loads.get(m.id, 0),
            capacity=m.capacity,
            qualified=m.id in qualified,
            day_off=m.id in off,
            busy=m.id in busy,
        )
        for m in mentors
    ]
    return sorted(found, key=lambda c: (not c.qualified, c.km, c.name))


def _reason(raw: str) -> str:
    reason = raw.strip()
    if not reason or len(reason) > MAX_REASON:
        raise ReassignRefused(_("Reason: required, at most %(n)s characters.", n=MAX_REASON))
    return reason


def reassign(
    session: Session,
    slot: VisitSlot,
    mentor_id: int | None,
    raw_reason: str,
    user_id: int,
    *,
    keep_time: bool,
    pin: bool,
    now: datetime | None = None,
) -> Reassigned:
    """Give the company of `slot` the mentor `mentor_id` from now on (see the module's text).
    Raises ReassignRefused naming the field; the caller commits, or rolls back on a refusal."""
    now = now or utcnow()
    company = session.get(Company, slot.company_id)
    assignment = current_assignment(session, slot.company_id)
    mentor = session.get(Mentor, mentor_id) if mentor_id else None
    if mentor is None:
        raise ReassignRefused(_("Mentor: choose a mentor."))
    reason = _reason(raw_reason)
    if slot.engagement_id is not None:
        raise ReassignRefused(
            _("Visit: a resident team's meeting; its mentors are planned with the engagement.")
        )
    if company is None or assignment is None:
        raise ReassignRefused(_("Company: it has no mentor in force; pin a mentor and run matching instead."))
    former = session.get(Mentor, assignment.mentor_id)
    assert former is not None
    if not mentor.active:
        raise ReassignRefused(_("Mentor: %(name)s is not active.", name=mentor.name))
    if mentor.id == former.id:
        raise ReassignRefused(_("Mentor: %(name)s is already this company's mentor.", name=mentor.name))
    if session.get(MentorExclusion, (mentor.id, company.id)) is not None:
        raise ReassignRefused(
            _("Mentor: %(name)s is excluded for this company; remove the exclusion first.", name=mentor.name)
        )
    keep_time = keep_time and slot.state == SlotState.confirmed.value and slot.mentor_id == former.id
    if keep_time and slot.flag == ClosedReason.closure.value:
        raise ReassignRefused(_("Visit: its day is a closure day; no mentor can take it then."))
    if keep_time:
        day = local_time(slot.starts_at).date()
        if session.exec(
            select(MentorDayOff).where(MentorDayOff.mentor_id == mentor.id, MentorDayOff.day == day)
        ).first():
            raise ReassignRefused(_("Mentor: %(name)s has a day off on the visit's day.", name=mentor.name))
    fit = session.get(MentorIndustry, (mentor.id, company.industry_code))
    moved = session.execute(
        sa.update(Assignment)
        .where(
            col(Assignment.id) == assignment.id,
            col(Assignment.state) == AssignmentState.approved.value,
            col(Assignment.mentor_id) == former.id,
        )
        .values(
            mentor_id=mentor.id,
            distance_km=round(distance_km(company.lat, company.lon, mentor.lat, mentor.lon), 1),
            fit=fit.fit if fit else 0,
            reasons=[REASSIGNED],
        )
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if moved != 1:
        raise ReassignRefused(_("Company: its mentor was changed a moment ago; look at it again."))
    kept = _keep_time(session, slot, former, mentor, now) if keep_time else None
    cancelled = _cancel_visits(session, company, former, reason, now)
    withdraw_stale_offers(session, now)
    _repin(session, company, mentor, reason if pin else None, user_id)
    audit(
        session,
        user_id,
        "company_reassigned",
        Entity.company,
        company.id,
        from_mentor=former.id,
        to_mentor=mentor.id,
        reason=reason,
        visit=slot.id,
        kept_time=kept is not None,
        cancelled=cancelled,
        pinned=pin,
    )
    params = {"mentor": mentor.name, "company": company.name, "reason": reason}
    notify_company(session, id_of(company), "mentor_reassigned_company", params, link=company_page())
    notify_mentor(session, id_of(former), "mentor_reassigned_former", params, link=mentor_week(now))
    notify_mentor(
        session,
        id_of(mentor),
        "mentor_reassigned_new",
        params,
        link=mentor_week(slot.starts_at if kept else now),
    )
    return Reassigned(former, mentor, kept, cancelled)


def _keep_time(session: Session, slot: VisitSlot, former: Mentor, mentor: Mentor, now: datetime) -> VisitSlot:
    """The confirmed visit goes to the new mentor at its time (its day-off flag no longer holds)."""
    try:
        taken = session.execute(
            sa.update(VisitSlot)
            .where(
                col(VisitSlot.id) == slot.id,
                col(VisitSlot.state) == SlotState.confirmed.value,
                col(VisitSlot.mentor_id) == former.id,
                col(VisitSlot.starts_at) > now,
            )
            .values(mentor_id=mentor.id, flag="", updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
    except IntegrityError:  # the one constraint a moved visit can break: no double booking
        raise ReassignRefused(
            _("Mentor: %(name)s has another confirmed visit at that time.", name=mentor.name)
        ) from None
    if taken != 1:
        raise ReassignRefused(_("Company: the visit was changed a moment ago; look at it again."))
    session.refresh(slot)
    return slot


def _cancel_visits(
    session: Session, company: Company, former: Mentor, reason: str, now: datetime
) -> list[int]:
    """Cancel the company's confirmed visits to come with the former mentor; their ids."""
    ids: list[int] = list(
        session.scalars(
            sa.update(VisitSlot)
            .where(
                col(VisitSlot.company_id) == company.id,
                col(VisitSlot.mentor_id) == former.id,
                col(VisitSlot.state) == SlotState.confirmed.value,
                col(VisitSlot.starts_at) > now,
            )
            .values(
                state=SlotState.cancelled.value,
                note=reason,
                reason_code=ClosedReason.cancelled.value,
                closed_by="coordinator",
                flag="",
                updated_at=now,
            )
            .returning(col(VisitSlot.id))
            .execution_options(synchronize_session=False)
        )
    )
    return ids


def _repin(session: Session, company: Company, mentor: Mentor, pin_reason: str | None, user_id: int) -> None:
    """A pin to the former mentor goes (the next run would bring them back); with a reason the
    company is pinned to the new mentor, by the pins' rules."""
    remove_pin(session, id_of(company), user_id)
    if pin_reason is not None:
        try:
            add_pin(session, company, mentor, pin_reason, user_id)
        except SteeringRefused as refused:
            raise ReassignRefused(str(refused)) from None
