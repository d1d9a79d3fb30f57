"""Reads of visits shared by the pages and the API, and the one rule of who may see or act on a
visit: its mentor, its company, or a coordinator."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from webapp.accounts.models import Role
from webapp.core.clock import utcnow
from webapp.directory.models import Company, Mentor
from webapp.visits.models import SlotState, VisitSlot


def visible_visits(user: Any) -> Any:
    """Statement of the visits `user` (a Principal or a User) may see and act on."""
    statement = select(VisitSlot)
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
        .join(Company, Company.id == VisitSlot.company_id)
        .join(Mentor, Mentor.id == VisitSlot.mentor_id)
        .where(VisitSlot.state.in_(states), VisitSlot.ends_at >= utcnow())
        .order_by(VisitSlot.starts_at)
    )
    if mentor_id is not None:
        statement = statement.where(VisitSlot.mentor_id == mentor_id)
    if company_id is not None:
        statement = statement.where(VisitSlot.company_id == company_id)
    return list(session.exec(statement.limit(100)))
