"""Visit slots: offered, confirmed, declined, cancelled or done visits of a mentor at a company."""

from __future__ import annotations

import enum
from datetime import date, datetime

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


class VisitPurpose(enum.StrEnum):
    """What a resident engagement's visit is for ("" for the visits of a visiting mentor)."""

    kickoff = "kickoff"
    midterm = "midterm"
    completion = "completion"


PURPOSES = ", ".join(["''"] + [f"'{p.value}'" for p in VisitPurpose])


class ClosedReason(enum.StrEnum):
    """Why an offered slot lapsed or a confirmed visit ended early (VisitSlot.reason_code)."""

    other_confirmed = "other_confirmed"  # the company confirmed another offered time
    company_declined = "company_declined"
    day_off = "day_off"  # the mentor took the day off
    closure = "closure"  # a holiday or a program closure day
    cancelled = "cancelled"
    reschedule = "reschedule"


class VisitSlot(SQLModel, table=True):
    """A proposed or confirmed on-site visit of a mentor at a company."""

    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="mentor.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id")
    # A resident engagement's visit (kickoff, midterm, completion: webapp.engagements.visits).
    engagement_id: int | None = Field(default=None, foreign_key="engagement.id", index=True)
    purpose: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    state: str = state_field(SlotState, SlotState.proposed, index=True)
    note: str = Field(default="", max_length=500)
    report: str = Field(default="", sa_type=sa.Text)
    # Why an offer lapsed or a visit was cancelled (a ClosedReason), and by whom (a role, or
    # "planning" for the system), so both sides see what happened and what comes next.
    reason_code: str = Field(default="", max_length=30, sa_column_kwargs={"server_default": ""})
    closed_by: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    # A confirmed visit that now falls on the mentor's day off or a closure day: to be sorted out.
    flag: str = Field(default="", max_length=30, sa_column_kwargs={"server_default": ""})
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        one_of("state", SlotState),
        sa.CheckConstraint(f"purpose IN ({PURPOSES})", name="purpose_valid"),
    )


class ClosureDay(SQLModel, table=True):
    """A day the program is closed (set by a coordinator): no visit is offered on it.
    Korean public holidays are known without this table (webapp.visits.closures)."""

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    name: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class VisitPreference(SQLModel, table=True):
    """What the company said suits it when it last declined offers; the next offers honour it.

    weekdays: 0 (Monday) .. 6 that suit, empty for any; halves: "am" and/or "pm" that suit,
    empty for any; unavailable: [[first, last], ...] ISO date ranges that do not suit.
    """

    company_id: int = Field(foreign_key="company.id", primary_key=True, ondelete="CASCADE")
    weekdays: list = Field(default_factory=list, sa_type=sa.JSON)
    halves: list = Field(default_factory=list, sa_type=sa.JSON)
    unavailable: list = Field(default_factory=list, sa_type=sa.JSON)
    note: str = Field(default="", max_length=500)
    updated_at: datetime = Field(default_factory=utcnow)
