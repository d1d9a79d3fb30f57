"""Matching runs, their proposed and approved assignments, and the scheduler's settings."""

from __future__ import annotations

import enum
from datetime import datetime, time

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from webapp.core.clock import utcnow
from webapp.core.models import one_of, state_field


class RunTrigger(enum.StrEnum):
    manual = "manual"
    weekly = "weekly"
    new_companies = "new_companies"


class RunStatus(enum.StrEnum):
    running = "running"
    proposed = "proposed"
    approved = "approved"
    discarded = "discarded"
    failed = "failed"


class AssignmentState(enum.StrEnum):
    proposed = "proposed"
    approved = "approved"
    ended = "ended"


class MatchingRun(SQLModel, table=True):
    """One execution of the matcher, from trigger to approval (or failure)."""

    id: int | None = Field(default=None, primary_key=True)
    trigger: str = state_field(RunTrigger, RunTrigger.manual)
    # Unique per trigger window (e.g. "weekly:2026-W48"), so a second scheduler cannot start
    # the same run twice; NULL for runs that need no such guard.
    trigger_key: str | None = Field(default=None, max_length=80, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    params: dict = Field(default_factory=dict, sa_type=sa.JSON)
    status: str = state_field(RunStatus, RunStatus.running, index=True)
    solver_status: str | None = Field(default=None, max_length=20)
    objective: int | None = Field(default=None, sa_type=sa.BigInteger)
    bound: int | None = Field(default=None, sa_type=sa.BigInteger)
    stats: dict = Field(default_factory=dict, sa_type=sa.JSON)
    unassigned: list = Field(default_factory=list, sa_type=sa.JSON)
    error: str | None = Field(default=None, sa_type=sa.Text)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    approved_by_id: int | None = Field(default=None, foreign_key="user.id")
    approved_at: datetime | None = None

    __table_args__ = (
        one_of("trigger", RunTrigger),
        one_of("status", RunStatus),
        # At most one run solves at a time, whoever started it: the database enforces it.
        sa.Index(
            "uq_matchingrun_one_running",
            "status",
            unique=True,
            sqlite_where=sa.text("status = 'running'"),
            postgresql_where=sa.text("status = 'running'"),
        ),
    )


class Assignment(SQLModel, table=True):
    """A mentor-company pair proposed by a run; approved pairs are the ones in force."""

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="matchingrun.id", index=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="company.id", index=True)
    mentor_id: int = Field(foreign_key="mentor.id", index=True)
    value: int
    distance_km: float
    fit: int
    reasons: list = Field(default_factory=list, sa_type=sa.JSON)
    state: str = state_field(AssignmentState, AssignmentState.proposed, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None

    __table_args__ = (
        sa.UniqueConstraint("run_id", "company_id", name="one_mentor_per_company_per_run"),
        one_of("state", AssignmentState),
        # One assignment in force per company: two runs approved at once cannot both hold.
        sa.Index(
            "uq_assignment_one_in_force",
            "company_id",
            unique=True,
            sqlite_where=sa.text("state = 'approved'"),
            postgresql_where=sa.text("state = 'approved'"),
        ),
    )


class CompanyPin(SQLModel, table=True):
    """A coordinator's "this company keeps this mentor": the next matching runs give the company
    this mentor (webapp.matching.service.build_instance) while the mentor is active. One per
    company; a mentor excluded for the company cannot be pinned to it (webapp.desk.steering)."""

    company_id: int = Field(foreign_key="company.id", primary_key=True, ondelete="CASCADE")
    mentor_id: int = Field(foreign_key="mentor.id", index=True, ondelete="CASCADE")
    reason: str = Field(default="", max_length=200)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class SchedulerSettings(SQLModel, table=True):
    """The one row (id 1) of settings of the automatic matching runs."""

    id: int | None = Field(default=None, primary_key=True)
    weekly_weekday: int = Field(default=0)  # 0 = Monday
    weekly_time: time = Field(default=time(9, 0))  # Asia/Seoul
    paused: bool = Field(default=False)
    auto_approve: bool = Field(default=False)  # only runs that change no approved assignment
    params: dict = Field(default_factory=dict, sa_type=sa.JSON)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        sa.CheckConstraint("weekly_weekday >= 0 AND weekly_weekday <= 6", name="weekday_range"),
    )
