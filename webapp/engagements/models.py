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


# --- planning runs and scenarios ---------------------------------------------------------


class PlanTrigger(enum.StrEnum):
    manual = "manual"
    weekly = "weekly"
    new_companies = "new_companies"
    scenario = "scenario"  # a what-if solve: never approved


class PlanStatus(enum.StrEnum):
    running = "running"
    proposed = "proposed"
    approved = "approved"
    discarded = "discarded"
    failed = "failed"
    solved = "solved"  # a scenario's finished solve (nothing to approve)


class Scenario(SQLModel, table=True):
    """A what-if copy of a cohort's planning inputs; solving it never touches the plan in force.

    `settings` holds the changed cohort figures (weeks, max_commute_km, engagement_weeks,
    team_size, quotas, min_per_municipality; a missing key keeps the cohort's value);
    `removed_mentor_ids` and `added_mentors` ({name, municipality, skills, industries,
    max_concurrent}) change the mentor pool.
    """

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    settings: dict = Field(default_factory=dict, sa_type=sa.JSON)
    removed_mentor_ids: list = Field(default_factory=list, sa_type=sa.JSON)
    added_mentors: list = Field(default_factory=list, sa_type=sa.JSON)
    keep_pins: bool = Field(default=True)  # keep agreed and started engagements as they are
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PlanningRun(SQLModel, table=True):
    """One solve of a cohort's plan (or of a scenario), from trigger to approval or failure."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    scenario_id: int | None = Field(default=None, foreign_key="scenario.id", index=True, ondelete="CASCADE")
    trigger: str = state_field(PlanTrigger, PlanTrigger.manual)
    # Unique per scheduler window ("weekly:2026-11-30T09:00"): a window is planned exactly once.
    trigger_key: str | None = Field(default=None, max_length=80, unique=True)
    # What the run solves ("cohort:3", "scenario:7"); one running run per lock (index below).
    lock: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    params: dict = Field(default_factory=dict, sa_type=sa.JSON)
    status: str = state_field(PlanStatus, PlanStatus.running, index=True)
    solver_status: str | None = Field(default=None, max_length=20)
    objective: int | None = Field(default=None, sa_type=sa.BigInteger)
    bound: int | None = Field(default=None, sa_type=sa.BigInteger)
    # The search as it goes: {"objective", "bound", "elapsed"} (best plan so far, proven bound).
    progress: dict = Field(default_factory=dict, sa_type=sa.JSON)
    stats: dict = Field(default_factory=dict, sa_type=sa.JSON)
    # Applicants left out: [{"company_id": 12, "reason": "..."}] (the planner's English).
    unselected: list = Field(default_factory=list, sa_type=sa.JSON)
    # Figures for comparisons (webapp.engagements.figures.summary), stored with the proposal.
    summary: dict = Field(default_factory=dict, sa_type=sa.JSON)
    error: str | None = Field(default=None, sa_type=sa.Text)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    approved_by_id: int | None = Field(default=None, foreign_key="user.id")
    approved_at: datetime | None = None

    __table_args__ = (
        one_of("trigger", PlanTrigger),
        one_of("status", PlanStatus),
        sa.Index(
            "uq_planningrun_one_running",
            "lock",
            unique=True,
            sqlite_where=sa.text("status = 'running'"),
            postgresql_where=sa.text("status = 'running'"),
        ),
    )


class ProposedEngagement(SQLModel, table=True):
    """An engagement in a run's proposal: company, weeks and team (lead first)."""

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="planningrun.id", index=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="company.id", index=True)
    start_week: int
    weeks: int
    # The team as instance refs, lead first: "m-<mentor id>", or "x-<n>" for a scenario's added mentor.
    mentors: list = Field(default_factory=list, sa_type=sa.JSON)
    value: int = Field(default=0, sa_type=sa.BigInteger)
    reasons: list = Field(default_factory=list, sa_type=sa.JSON)
    pinned: bool = Field(default=False)

    __table_args__ = (sa.UniqueConstraint("run_id", "company_id", name="one_proposal_per_company"),)
