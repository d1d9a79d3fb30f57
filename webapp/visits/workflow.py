"""The visit workflow: offered slots, confirmation, decline, cancel, reschedule, done.

Every change is written with its audit-log entry and its notification email (to the outbox) in
one transaction, so a change is never recorded without its notice or the other way round.
The database itself refuses two overlapping confirmed visits of one mentor (migration 0002);
a confirmation that loses that race gets SlotTaken, "that slot was just taken".
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, select

from webapp.accounts.models import User
from webapp.core.clock import local_time, utcnow
from webapp.core.db import is_retryable_conflict
from webapp.core.models import AuditLog
from webapp.core.notifications import notify_company, notify_mentor
from webapp.directory.models import Company
from webapp.matching.models import Assignment, AssignmentState
from webapp.visits.models import SlotState, VisitSlot

OVERLAP_MESSAGE = "visit_overlaps_confirmed_visit"  # raised by the trigger / constraint of 0002
MAX_NOTE = 500
LOCK_RETRIES = 5


class VisitError(ValueError):
    """The action is not possible in the visit's current state; the message says why."""


class SlotTaken(VisitError):
    def __init__(self) -> None:
        super().__init__("that slot was just taken: the mentor confirmed another visit at that time")


class OfferLapsed(VisitError):
    def __init__(self) -> None:
        super().__init__("this offer is no longer open; the offers on your page now are")


def offer_in_force() -> sa.ColumnElement[bool]:
    """An offer made for an assignment stays open only while its mentor is the company's mentor
    in force: once the company is re-matched, the former mentor's offers can no longer be
    confirmed (and are withdrawn by the next offering round, which then offers the new
    mentor's times). Re-approving the same pair in a later run keeps its offers open. An offer
    made outside any assignment (assignment_id NULL, never by the planner) stands on its own."""
    return sa.or_(
        VisitSlot.assignment_id.is_(None),
        sa.exists().where(
            Assignment.mentor_id == VisitSlot.mentor_id,
            Assignment.company_id == VisitSlot.company_id,
            Assignment.state == AssignmentState.approved.value,
        ),
    )


def _is_overlap(exc: Exception) -> bool:
    text = str(getattr(exc, "orig", exc))
    return OVERLAP_MESSAGE in text or "ex_visitslot_no_double_booking" in text


def _audit(session: Session, user: User, action: str, slot: VisitSlot, **details) -> None:
    session.add(
        AuditLog(user_id=user.id, action=action, entity="visit_slot", entity_id=str(slot.id), details=details)
    )


def _when(slot: VisitSlot) -> str:
    return f"{local_time(slot.starts_at):%Y-%m-%d %H:%M}-{local_time(slot.ends_at):%H:%M} (Asia/Seoul)"


def _set_state(slot: VisitSlot, state: SlotState, note: str = "") -> None:
    slot.state = state.value
    if note:
        slot.note = note[:MAX_NOTE]
    slot.updated_at = utcnow()


def _require(slot: VisitSlot, *states: SlotState) -> None:
    if slot.state not in {s.value for s in states}:
        raise VisitError(f"this visit is {slot.state}; it cannot be changed that way")


def _clean_note(note: str, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise VisitError(f"{what} is required")
    if len(note) > MAX_NOTE:
        raise VisitError(f"{what} is longer than {MAX_NOTE} characters")
    return note


def offered_slots(session: Session, company_id: int) -> list[VisitSlot]:
    return list(
        session.exec(
            select(VisitSlot)
            .where(
                VisitSlot.company_id == company_id,
                VisitSlot.state == SlotState.proposed.value,
                VisitSlot.starts_at > utcnow(),
                offer_in_force(),
            )
            .order_by(VisitSlot.starts_at)
        )
    )


def confirm_slot(session: Session, slot_id: int, user: User) -> VisitSlot:
    """The company confirms one offered slot; the other offers of the same assignment lapse.

    Commits. Raises SlotTaken if the mentor got an overlapping confirmed visit meanwhile, and
    OfferLapsed if the offer was closed meanwhile (another offer confirmed, the company
    re-matched). Two confirmations colliding (SQLite's stale snapshot, PostgreSQL's deadlock
    when two offers of one company are confirmed at once) are refused by the database for
    one of them, which is simply tried again and then finds its offer closed.
    """
    attempt = 1
    while True:
        try:
            return _confirm(session, slot_id, user)
        except DBAPIError as exc:
            session.rollback()
            if not is_retryable_conflict(exc) or attempt >= LOCK_RETRIES:
                raise
            attempt += 1


def _confirm(session: Session, slot_id: int, user: User) -> VisitSlot:
    slot = _owned_slot(session, slot_id, user)
    if user.role == "mentor":
        raise VisitError("the company confirms the slot it prefers")
    _require(slot, SlotState.proposed)
    if slot.starts_at <= utcnow():
        raise VisitError("this slot has already started; pick a later one")
    now = utcnow()
    try:
        # The offer is taken only if it is still open, decided by the database row by row:
        # of two offers of one company confirmed at once, one finds the other's decline.
        taken = session.execute(
            sa.update(VisitSlot)
            .where(
                VisitSlot.id == slot.id,
                VisitSlot.state == SlotState.proposed.value,
                VisitSlot.starts_at > now,
                offer_in_force(),
            )
            .values(state=SlotState.confirmed.value, updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
    except IntegrityError as exc:  # the database's overlap check
        session.rollback()
        if _is_overlap(exc):
            raise SlotTaken() from None
        raise
    if taken != 1:
        session.rollback()
        raise OfferLapsed()
    session.execute(  # the company's other offers for this visit lapse
        sa.update(VisitSlot)
        .where(
            VisitSlot.company_id == slot.company_id,
            VisitSlot.id != slot.id,
            VisitSlot.state == SlotState.proposed.value,
            VisitSlot.assignment_id == slot.assignment_id,
        )
        .values(state=SlotState.declined.value, note="another slot was confirmed", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.refresh(slot)
    _audit(session, user, "visit_confirmed", slot, starts_at=slot.starts_at.isoformat())
    notify_mentor(
        session,
        slot.mentor_id,
        "Visit confirmed",
        f"{_company_name(session, slot)} confirmed the visit on {_when(slot)}.",
    )
    session.commit()
    return slot


def decline_offers(session: Session, company_id: int, note: str, user: User) -> list[VisitSlot]:
    """The company declines every offered slot, with a note; the caller proposes new ones."""
    note = _clean_note(note, "a note saying which times would suit you")
    slots = offered_slots(session, company_id)
    if not slots:
        raise VisitError("there are no offered slots to decline")
    for slot in slots:
        _set_state(slot, SlotState.declined, note)
        session.add(slot)
        _audit(session, user, "visit_declined", slot, note=note)
    notify_mentor(
        session,
        slots[0].mentor_id,
        "Visit slots declined",
        f"{_company_name(session, slots[0])} declined the offered slots: {note}",
    )
    session.commit()
    return slots


def cancel_visit(
    session: Session, slot_id: int, reason: str, user: User, *, reschedule: bool = False
) -> VisitSlot:
    """Either side cancels a confirmed visit (or asks to reschedule it) with a reason."""
    reason = _clean_note(reason, "a reason")
    slot = _owned_slot(session, slot_id, user)
    _require(slot, SlotState.confirmed)
    if slot.starts_at <= utcnow():
        raise VisitError("this visit has already started and can no longer be cancelled")
    label = "reschedule requested" if reschedule else "cancelled"
    _set_state(slot, SlotState.cancelled, f"{label}: {reason}")
    session.add(slot)
    _audit(
        session, user, "visit_reschedule_requested" if reschedule else "visit_cancelled", slot, reason=reason
    )
    message = f"The visit on {_when(slot)} was {label} by {user.display_name or user.email}: {reason}"
    subject = "Visit reschedule requested" if reschedule else "Visit cancelled"
    if user.role == "mentor":
        notify_company(session, slot.company_id, subject, message)
    else:
        notify_mentor(session, slot.mentor_id, subject, message)
    session.commit()
    return slot


def mark_done(session: Session, slot_id: int, report: str, user: User) -> VisitSlot:
    """The mentor marks a visit that has started as done, with a short report."""
    report = _clean_note(report, "a short report")
    slot = _owned_slot(session, slot_id, user)
    if user.role != "mentor":
        raise VisitError("only the mentor can mark a visit done")
    _require(slot, SlotState.confirmed)
    if slot.starts_at > utcnow():
        raise VisitError("a visit can be marked done once it has started")
    _set_state(slot, SlotState.done)
    slot.report = report
    session.add(slot)
    _audit(session, user, "visit_done", slot)
    session.commit()
    return slot


def _owned_slot(session: Session, slot_id: int, user: User) -> VisitSlot:
    """The slot if `user` may act on it (its mentor, its company or a coordinator)."""
    slot = session.get(VisitSlot, slot_id)
    owns = slot is not None and (
        user.role == "coordinator"
        or (user.role == "mentor" and slot.mentor_id == user.mentor_id)
        or (user.role == "company" and slot.company_id == user.company_id)
    )
    if not owns:
        raise LookupError("no such visit")
    return slot


def _company_name(session: Session, slot: VisitSlot) -> str:
    company = session.get(Company, slot.company_id)
    return company.name if company else f"company {slot.company_id}"


def upcoming_visits(
    session: Session,
    *,
    mentor_id: int | None = None,
    company_id: int | None = None,
    since: datetime | None = None,
) -> list[VisitSlot]:
    query = select(VisitSlot).where(
        VisitSlot.state == SlotState.confirmed.value, VisitSlot.ends_at >= (since or utcnow())
    )
    if mentor_id is not None:
        query = query.where(VisitSlot.mentor_id == mentor_id)
    if company_id is not None:
        query = query.where(VisitSlot.company_id == company_id)
    return list(session.exec(query.order_by(VisitSlot.starts_at)))
