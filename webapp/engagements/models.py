"""Engagements: a team of mentors resident at one company for a block of whole weeks.

`Engagement` rows are the plan in force (and its history); a planning run's proposal lives in
its own rows (`ProposedEngagement`) until a coordinator approves it, as matching runs do.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from webapp.core.clock import utcnow
from webapp.core.models import one_of, state_field


class EngagementState(enum.StrEnum):
    planned = "planned"  # in the approved plan, may still move at a replan
    agreed = "agreed"  # dates and team agreed with the company: pinned
    on_site = "on_site"  # started: pinned
    completed = "completed"
    cancelled = "cancelled"


# States a replan may not change (pins of the planning instance).
PINNED_STATES = (EngagementState.agreed, EngagementState.on_site, EngagementState.completed)
# The transitions a person may make; everything else is refused.
TRANSITIONS: dict[EngagementState, tuple[EngagementState, ...]] = {
    EngagementState.planned: (EngagementState.agreed, EngagementState.cancelled),
    EngagementState.agreed: (EngagementState.on_site, EngagementState.planned, EngagementState.cancelled),
    EngagementState.on_site: (EngagementState.completed, EngagementState.cancelled),
    EngagementState.completed: (),
    EngagementState.cancelled: (),
}


class TeamRole(enum.StrEnum):
    lead = "lead"
    member = "member"


class Engagement(SQLModel, table=True):
    """A company's engagement in a cohort: weeks `start_week .. start_week + weeks - 1`."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    start_week: int  # week index in the cohort (0 = the cohort's first_monday)
    weeks: int
    start_date: date  # Monday of start_week
    end_date: date  # Sunday of the last week (inclusive)
    state: str = state_field(EngagementState, EngagementState.planned, index=True)
    value: int = Field(default=0, sa_type=sa.BigInteger)
    reasons: list = Field(default_factory=list, sa_type=sa.JSON)
    state_changed_at: datetime = Field(default_factory=utcnow)
    state_changed_by_id: int | None = Field(default=None, foreign_key="user.id")
    cancel_reason: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        one_of("state", EngagementState),
        sa.CheckConstraint("weeks >= 1", name="weeks_positive"),
        sa.CheckConstraint("start_week >= 0", name="start_nonneg"),
        sa.CheckConstraint("end_date > start_date", name="end_after_start"),
        # One live engagement per company and cohort: the database settles concurrent approvals.
        sa.Index(
            "uq_engagement_one_live",
            "cohort_id",
            "company_id",
            unique=True,
            sqlite_where=sa.text("state != 'cancelled'"),
            postgresql_where=sa.text("state != 'cancelled'"),
        ),
    )


class EngagementMember(SQLModel, table=True):
    engagement_id: int = Field(foreign_key="engagement.id", primary_key=True, ondelete="CASCADE")
    mentor_id: int = Field(foreign_key="mentor.id", primary_key=True, index=True)
    role: str = state_field(TeamRole, TeamRole.member)

    __table_args__ = (one_of("role", TeamRole),)
