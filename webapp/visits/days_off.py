"""A day that became unavailable (a mentor's day off, or a program closure day for everyone):
the visit times offered on it are withdrawn and their companies told (new times follow from the
next offering), and confirmed visits on it are flagged to the mentor and the coordinators.

The withdrawal is a conditional update (only slots still offered), so a company confirming the
same slot at that moment either wins (its visit is then flagged) or finds the offer gone.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from webapp.core.clock import seoul_midnight, utcnow
from webapp.core.notifications import notify_company, notify_coordinators, notify_mentor
from webapp.visits.models import ClosedReason, SlotState, VisitSlot
from webapp.visits.pages import company_page, desk_attention, mentor_week
from webapp.visits.workflow import visit_params


def _on_day(day: date, mentor_id: int | None, state: SlotState) -> SelectOfScalar[VisitSlot]:
    query = select(VisitSlot).where(
        col(VisitSlot.starts_at) >= seoul_midnight(day),
        col(VisitSlot.starts_at) < seoul_midnight(day + timedelta(days=1)),
        col(VisitSlot.state) == state.value,
    )
    return query.where(VisitSlot.mentor_id == mentor_id) if mentor_id is not None else query


def withdraw_day(
    session: Session, day: date, *, mentor_id: int | None = None, by: str = "mentor"
) -> tuple[list[VisitSlot], list[VisitSlot]]:
    """Withdraw the offers on `day` (of one mentor, or of all for a closure day) and flag the
    confirmed visits on it; returns (withdrawn, flagged). The caller commits."""
    reason = ClosedReason.day_off if mentor_id is not None else ClosedReason.closure
    withdrawn = []
    for slot in session.exec(_on_day(day, mentor_id, SlotState.proposed)).all():
        result = session.execute(
            sa.update(VisitSlot)
            .where(col(VisitSlot.id) == slot.id, col(VisitSlot.state) == SlotState.proposed.value)
            .values(
                state=SlotState.declined.value, reason_code=reason.value, closed_by=by, updated_at=utcnow()
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            withdrawn.append(slot)
    told: set[int] = set()
    for slot in withdrawn:
        if slot.company_id not in told:
            told.add(slot.company_id)
            params = {**visit_params(session, slot), "day": day.isoformat()}
            notify_company(session, slot.company_id, "offers_withdrawn_day_off", params, link=company_page())
    flagged = list(session.exec(_on_day(day, mentor_id, SlotState.confirmed)).all())
    for slot in flagged:
        slot.flag, slot.updated_at = reason.value, utcnow()
        session.add(slot)
        params = {**visit_params(session, slot), "day": day.isoformat()}
        key = f"visit_on_day_off:{slot.id}:{day.isoformat()}"
        notify_mentor(
            session, slot.mentor_id, "visit_on_day_off", params, link=mentor_week(slot.starts_at), key=key
        )
        notify_coordinators(session, "visit_on_day_off", params, link=desk_attention(), key=key)
    for slot in withdrawn:
        session.expire(slot)
    return withdrawn, flagged
