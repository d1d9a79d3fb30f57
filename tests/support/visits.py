"""Helpers of the visit tests: adding visits to the world, reading them back."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session, select

from webapp.core.clock import SEOUL
from webapp.core.db import session_scope
from webapp.core.models import AuditLog
from webapp.directory.models import Company, Mentor, MentorIndustry, Municipality
from webapp.visits.models import VisitSlot


def place_mentor(session: Session, n: int, place: Municipality, capacity: int) -> Mentor:
    """Mentor "M<n>" living at `place`'s centre, fit 90 for C29 (the companies' industry)."""
    mentor = Mentor(
        name=f"M{n}",
        email=f"m{n}@x.kr",
        municipality_id=place.id,
        lat=place.lat,
        lon=place.lon,
        capacity=capacity,
    )
    session.add(mentor)
    session.flush()
    session.add(MentorIndustry(mentor_id=mentor.id, industry_code="C29", fit=90))
    return mentor


def place_company(session: Session, n: int, place: Municipality) -> None:
    """Active company "C<n>" (industry C29) at `place`'s centre, with a contact address."""
    session.add(
        Company(
            name=f"C{n}",
            business_reg_no=f"{n:010d}",
            industry_code="C29",
            municipality_id=place.id,
            lat=place.lat,
            lon=place.lon,
            status="active",
            contact_email=f"c{n}@c.kr",
        )
    )


def add_visit(
    app, mentor_id: int, company_id: int, starts_at: datetime, *, minutes: int = 60, state: str = "proposed"
) -> int:
    with session_scope(app.extensions["engine"]) as s:
        slot = VisitSlot(
            mentor_id=mentor_id,
            company_id=company_id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            state=state,
        )
        s.add(slot)
        s.flush()
        return slot.id


def visit(app, slot_id: int) -> VisitSlot:
    with Session(app.extensions["engine"]) as s:
        return s.get(VisitSlot, slot_id)


def audit_actions(app) -> list[str]:
    with Session(app.extensions["engine"]) as s:
        return list(s.exec(select(AuditLog.action).order_by(AuditLog.id)))


def seoul_time(day, hour: int) -> datetime:
    """A UTC moment at `hour`:00 Asia/Seoul on `day`."""
    return datetime.combine(day, time(hour), SEOUL).astimezone(UTC)


def next_week_tuesday():
    today = datetime.now(SEOUL).date()
    return today - timedelta(days=today.weekday()) + timedelta(days=8)
