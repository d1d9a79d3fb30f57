"""Reads of visits shared by the pages and the API, and the one rule of who may see or act on a
visit: its mentor, its company, or a coordinator."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, or_, select

from webapp.accounts.models import Role
from webapp.core.clock import utcnow
from webapp.directory.models import Company, Mentor
from webapp.matching.models import Assignment, AssignmentState
from webapp.visits.models import SlotState, VisitSlot


def offer_in_force() -> sa.ColumnElement[bool]:
    """An offer made for an assignment stays open only while its mentor is the company's mentor
    in force: once the company is re-matched, the former mentor's offers can no longer be
    confirmed (and are withdrawn by the next offering round, which then offers the new
    mentor's times). Re-approving the same pair in a later run keeps its offers open. An offer
    made outside any assignment (assignment_id NULL, never by the planner) stands on its own."""
    return sa.or_(
        col(VisitSlot.assignment_id).is_(None),
        sa.exists().where(
            col(Assignment.mentor_id) == col(VisitSlot.mentor_id),
            col(Assignment.company_id) == col(VisitSlot.company_id),
            col(Assignment.state) == AssignmentState.approved.value,
        ),
    )


def visible_visits(user: Any) -> Any:
    """Statement of the visits `user` (a Principal or a User) may see and act on."""
    statement = select(VisitSlot)
    if user.role != Role.coordinator:  # a former mentor's open offers are no business of either side
        statement = statement.where(or_(col(VisitSlot.state) != SlotState.proposed, offer_in_force()))
    if user.role == Role.mentor:
        statement = statement.where(VisitSlot.mentor_id == user.mentor_id)
    elif user.role == Role.company:
        statement = statement.where(VisitSlot.company_id == user.company_id)
    elif user.role != Role.coordinator:
        statement = statement.where(False)
    return statement


def visible_visit(session: Session, user: Any, slot_id: int) -> VisitSlot | None:
    """The visit if `user` may see it and act on it, else None (404 to the caller)."""
    return session.exec(visible_visits(user).where(VisitSlot.id == slot_id)).first()


def upcoming_visits(
    session: Session,
    *,
    mentor_id: int | None = None,
    company_id: int | None = None,
    states: tuple[str, ...] = (SlotState.confirmed,),
) -> list[tuple[VisitSlot, Company, Mentor]]:
    statement = (
        select(VisitSlot, Company, Mentor)
        .join(Company, col(Company.id) == VisitSlot.company_id)
        .join(Mentor, col(Mentor.id) == VisitSlot.mentor_id)
        .where(col(VisitSlot.state).in_(states), VisitSlot.ends_at >= utcnow())
        .order_by(col(VisitSlot.starts_at))
    )
    if mentor_id is not None:
        statement = statement.where(VisitSlot.mentor_id == mentor_id)
    if company_id is not None:
        statement = statement.where(VisitSlot.company_id == company_id)
    return list(session.exec(statement.limit(100)))
