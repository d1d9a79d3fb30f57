"""The visit workflow: offered slots, confirmation, decline, cancel, reschedule, done.

Every change is written with its audit-log entry and its notification email (to the outbox) in
one transaction, so a change is never recorded without its notice or the other way round.
The database itself refuses two overlapping confirmed visits of one mentor (migration 0002);
a confirmation that loses that race gets SlotTaken, "that slot was just taken". A refused
action raises VisitError with a code (VisitErrorCode).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, col, select

from webapp.accounts.models import Role, User
from webapp.core.audit import Entity, audit
from webapp.core.clock import utcnow
from webapp.core.db import is_retryable_conflict
from webapp.core.notifications import notify_company, notify_mentor
from webapp.directory.models import Company, Mentor
from webapp.visits.models import ClosedReason, SlotState, VisitPreference, VisitSlot
from webapp.visits.pages import company_page, mentor_week
from webapp.visits.preferences import Preferences
from webapp.visits.queries import offer_in_force, visible_visit

OVERLAP_MESSAGE = "visit_overlaps_confirmed_visit"  # raised by the trigger / constraint of 0002
MAX_NOTE = 500
LOCK_RETRIES = 5


class VisitErrorCode(StrEnum):
    slot_taken = "slot_taken"
    company_confirms = "company_confirms"
    slot_started = "slot_started"
    note_required = "note_required"
    reason_required = "reason_required"
    report_required = "report_required"
    too_long = "too_long"
    wrong_state = "wrong_state"
    nothing_to_decline = "nothing_to_decline"
    visit_started = "visit_started"
    mentor_marks_done = "mentor_marks_done"
    not_started = "not_started"
    offer_lapsed = "offer_lapsed"


# The English text of each refusal (the API answers with it; pages translate the code).
ENGLISH = {
    VisitErrorCode.slot_taken: "that slot was just taken: the mentor confirmed another visit at that time",
    VisitErrorCode.company_confirms: "the company confirms the slot it prefers",
    VisitErrorCode.slot_started: "this slot has already started; pick a later one",
    VisitErrorCode.note_required: "a note saying which times would suit you is required",
    VisitErrorCode.reason_required: "a reason is required",
    VisitErrorCode.report_required: "a short report is required",
    VisitErrorCode.too_long: "{what} is longer than {limit} characters",
    VisitErrorCode.wrong_state: "this visit is {state}; it cannot be changed that way",
    VisitErrorCode.nothing_to_decline: "there are no offered slots to decline",
    VisitErrorCode.visit_started: "this visit has already started and can no longer be cancelled",
    VisitErrorCode.mentor_marks_done: "only the mentor can mark a visit done",
    VisitErrorCode.not_started: "a visit can be marked done once it has started",
    VisitErrorCode.offer_lapsed: "this offer is no longer open: another time was confirmed or the mentor "
    "changed",
}


class VisitError(ValueError):
    """The action is not possible in the visit's current state: `code` says why (pages translate
    it, webapp.visits.messages), `params` fill the message, str() is the English text."""

    def __init__(self, code: VisitErrorCode, **params: Any) -> None:
        super().__init__(ENGLISH[code].format(**params))
        self.code = code
        self.params = params


class SlotTaken(VisitError):
    def __init__(self) -> None:
        super().__init__(VisitErrorCode.slot_taken)


class OfferLapsed(VisitError):
    def __init__(self) -> None:
        super().__init__(VisitErrorCode.offer_lapsed)


def _is_overlap(exc: Exception) -> bool:
    text = str(getattr(exc, "orig", exc))
    return OVERLAP_MESSAGE in text or "ex_visitslot_no_double_booking" in text


def _audit(session: Session, user: User, action: str, slot: VisitSlot, **details) -> None:
    audit(session, user.id, action, Entity.visit_slot, slot.id, **details)


def visit_params(session: Session, slot: VisitSlot) -> dict:
    """The parameters every visit message is written from (webapp.core.message_catalog)."""
    mentor = session.get(Mentor, slot.mentor_id)
    company = session.get(Company, slot.company_id)
    return {
        "mentor": mentor.name if mentor else "",
        "company": company.name if company else "",
        "address": (company.address or company.name) if company else "",
        "starts": slot.starts_at.isoformat(),
        "ends": slot.ends_at.isoformat(),
    }


def _set_state(
    slot: VisitSlot, state: SlotState, note: str = "", reason: ClosedReason | None = None, by: str = ""
) -> None:
    slot.state = state.value
    if note:
        slot.note = note[:MAX_NOTE]
    if reason is not None:
        slot.reason_code, slot.closed_by = reason.value, by
    slot.updated_at = utcnow()


def _require(slot: VisitSlot, *states: SlotState) -> None:
    if slot.state not in {s.value for s in states}:
        raise VisitError(VisitErrorCode.wrong_state, state=slot.state)


def _clean_note(note: str, required: VisitErrorCode, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise VisitError(required)
    if len(note) > MAX_NOTE:
        raise VisitError(VisitErrorCode.too_long, what=what, limit=MAX_NOTE)
    return note


def offered_slots(session: Session, company_id: int) -> list[VisitSlot]:
    return list(
        session.exec(
            select(VisitSlot)
            .where(
                VisitSlot.company_id == company_id,
                col(VisitSlot.state) == SlotState.proposed.value,
                VisitSlot.starts_at > utcnow(),
                offer_in_force(),
            )
            .order_by(col(VisitSlot.starts_at))
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
    if user.role == Role.mentor:
        raise VisitError(VisitErrorCode.company_confirms)
    _require(slot, SlotState.proposed)
    if slot.starts_at <= utcnow():
        raise VisitError(VisitErrorCode.slot_started)
    now = utcnow()
    try:
        # The offer is taken only if it is still open, decided by the database row by row:
        # of two offers of one company confirmed at once, one finds the other's decline.
        taken = session.execute(
            sa.update(VisitSlot)
            .where(
                col(VisitSlot.id) == slot.id,
                col(VisitSlot.state) == SlotState.proposed.value,
                col(VisitSlot.starts_at) > now,
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
            col(VisitSlot.company_id) == slot.company_id,
            col(VisitSlot.id) != slot.id,
            col(VisitSlot.state) == SlotState.proposed.value,
            col(VisitSlot.assignment_id) == slot.assignment_id,
        )
        .values(
            state=SlotState.declined.value,
            note="another slot was confirmed",
            reason_code=ClosedReason.other_confirmed.value,
            closed_by=str(user.role),
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(slot)
    _audit(session, user, "visit_confirmed", slot, starts_at=slot.starts_at.isoformat())
    notify_mentor(
        session,
        slot.mentor_id,
        "visit_confirmed",
        visit_params(session, slot),
        link=mentor_week(slot.starts_at),
    )
    session.commit()
    return slot


def decline_offers(
    session: Session, company_id: int, note: str, user: User, preferences: Preferences | None = None
) -> list[VisitSlot]:
    """The company declines every offered slot, saying which times suit it (structured
    preferences, a note, or both); the preferences are kept for the next offers, which the
    caller proposes."""
    preferences = preferences or Preferences()
    what = "a note saying which times would suit you"
    note = (note or "").strip()
    if preferences.empty:
        note = _clean_note(note, VisitErrorCode.note_required, what)
    elif len(note) > MAX_NOTE:
        raise VisitError(VisitErrorCode.too_long, what=what, limit=MAX_NOTE)
    slots = offered_slots(session, company_id)
    if not slots:
        raise VisitError(VisitErrorCode.nothing_to_decline)
    for slot in slots:
        _set_state(slot, SlotState.declined, note, ClosedReason.company_declined, user.role)
        session.add(slot)
        _audit(session, user, "visit_declined", slot, note=note, preferences=preferences.as_json())
    stored = session.get(VisitPreference, company_id) or VisitPreference(company_id=company_id)
    stored.weekdays, stored.halves = preferences.weekdays, preferences.halves
    stored.unavailable = preferences.as_json()["unavailable"]
    stored.note, stored.updated_at = note, utcnow()
    session.add(stored)
    notify_mentor(
        session,
        slots[0].mentor_id,
        "offers_declined",
        {
            **visit_params(session, slots[0]),
            "note": note or "—",
            "preferences": preferences.as_json(),
        },
        link=mentor_week(slots[0].starts_at),
    )
    session.commit()
    return slots


def cancel_visit(
    session: Session, slot_id: int, reason: str, user: User, *, reschedule: bool = False
) -> VisitSlot:
    """Either side cancels a confirmed visit (or asks to reschedule it) with a reason."""
    reason = _clean_note(reason, VisitErrorCode.reason_required, "a reason")
    slot = _owned_slot(session, slot_id, user)
    _require(slot, SlotState.confirmed)
    if slot.starts_at <= utcnow():
        raise VisitError(VisitErrorCode.visit_started)
    code = ClosedReason.reschedule if reschedule else ClosedReason.cancelled
    _set_state(slot, SlotState.cancelled, reason, code, user.role)
    session.add(slot)
    _audit(
        session, user, "visit_reschedule_requested" if reschedule else "visit_cancelled", slot, reason=reason
    )
    params = {**visit_params(session, slot), "actor": user.display_name or user.email, "reason": reason}
    message = "visit_reschedule" if reschedule else "visit_cancelled"
    if user.role == Role.mentor:
        notify_company(session, slot.company_id, message, params, link=company_page())
    else:
        notify_mentor(session, slot.mentor_id, message, params, link=mentor_week(slot.starts_at))
    session.commit()
    return slot


def mark_done(session: Session, slot_id: int, report: str, user: User) -> VisitSlot:
    """The mentor marks a visit that has started as done, with a short report."""
    report = _clean_note(report, VisitErrorCode.report_required, "a short report")
    slot = _owned_slot(session, slot_id, user)
    if user.role != Role.mentor:
        raise VisitError(VisitErrorCode.mentor_marks_done)
    _require(slot, SlotState.confirmed)
    if slot.starts_at > utcnow():
        raise VisitError(VisitErrorCode.not_started)
    _set_state(slot, SlotState.done)
    slot.report = report
    session.add(slot)
    _audit(session, user, "visit_done", slot)
    session.commit()
    return slot


def _owned_slot(session: Session, slot_id: int, user: User) -> VisitSlot:
    """The slot if `user` may act on it (webapp.visits.queries.visible_visit: the same rule as
    for seeing it)."""
    slot = visible_visit(session, user, slot_id)
    if slot is None:
        raise LookupError("no such visit")
    return slot


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
    return list(session.exec(query.order_by(col(VisitSlot.starts_at))))
