"""Visit slots: offered, confirmed, declined, cancelled or done visits of a mentor at a company."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from webapp.core.clock import utcnow
from webapp.core.models import one_of, state_field


class SlotState(enum.StrEnum):
    proposed = "proposed"
    confirmed = "confirmed"
    declined = "declined"
    cancelled = "cancelled"
    done = "done"


class VisitSlot(SQLModel, table=True):
    """A proposed or confirmed on-site visit of a mentor at a company."""

    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="mentor.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id")
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    state: str = state_field(SlotState, SlotState.proposed, index=True)
    note: str = Field(default="", max_length=500)
    report: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        one_of("state", SlotState),
    )
