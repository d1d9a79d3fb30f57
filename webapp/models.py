"""The data model (SQLModel tables) of the mentoring program.

State columns are stored as short strings guarded by CHECK constraints rather than native
database enums, so that the same migration runs on SQLite and PostgreSQL and a new state
needs no ALTER TYPE.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Stable constraint names, so that Alembic's batch mode (SQLite) can find and alter them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Timestamps are timezone-aware UTC (SQLModel's UTCDateTime rejects naive ones)."""
    return datetime.now(UTC)


class CompanyStatus(str, enum.Enum):
    applied = "applied"
    active = "active"
    completed = "completed"
    withdrawn = "withdrawn"


class CompanySize(str, enum.Enum):
    micro = "micro"  # fewer than 10 employees
    small = "small"  # 10-49
    medium = "medium"  # 50-299


class RunTrigger(str, enum.Enum):
    manual = "manual"
    weekly = "weekly"
    new_companies = "new_companies"


class RunStatus(str, enum.Enum):
    running = "running"
    proposed = "proposed"
    approved = "approved"
    discarded = "discarded"
    failed = "failed"


class AssignmentState(str, enum.Enum):
    proposed = "proposed"
    approved = "approved"
    ended = "ended"


class SlotState(str, enum.Enum):
    proposed = "proposed"
    confirmed = "confirmed"
    declined = "declined"
    cancelled = "cancelled"
    done = "done"


class Role(str, enum.Enum):
    coordinator = "coordinator"
    mentor = "mentor"
    company = "company"


def _one_of(column: str, values: type[enum.Enum]) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")


def _state(values: type[enum.Enum], default: enum.Enum, **kw: Any) -> Any:
    return Field(default=default.value, sa_type=sa.String(20), nullable=False, **kw)


class Municipality(SQLModel, table=True):
    """One of the 14 cities and counties of North Jeolla (Jeonbuk)."""

    id: int | None = Field(default=None, primary_key=True)
    name_en: str = Field(max_length=40, unique=True)
    name_ko: str = Field(max_length=40, unique=True)
    kind: str = Field(max_length=10)  # city | county
    lat: float
    lon: float

    __table_args__ = (sa.CheckConstraint("kind IN ('city', 'county')", name="kind_valid"),)


class Industry(SQLModel, table=True):
    """A KSIC manufacturing division (C10-C34)."""

    code: str = Field(primary_key=True, max_length=3)
    name_en: str = Field(max_length=120)
    name_ko: str = Field(max_length=120)


class Mentor(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    email: str = Field(max_length=254, unique=True)
    phone: str = Field(default="", max_length=40)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    address: str = Field(default="", max_length=200)
    lat: float
    lon: float
    capacity: int = Field(default=3)
    active: bool = Field(default=True)
    # Secret in the URL of the mentor's iCalendar feed.
    calendar_token: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (sa.CheckConstraint("capacity >= 0 AND capacity <= 50", name="capacity_range"),)


class MentorAvailability(SQLModel, table=True):
    """A weekly window in which the mentor can visit (weekday 0 = Monday), Asia/Seoul local time."""

    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="mentor.id", index=True, ondelete="CASCADE")
    weekday: int
    starts: time
    ends: time

    __table_args__ = (
        sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        sa.CheckConstraint("ends > starts", name="ends_after_starts"),
    )


class MentorDayOff(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="mentor.id", index=True, ondelete="CASCADE")
    day: date
    note: str = Field(default="", max_length=200)

    __table_args__ = (sa.UniqueConstraint("mentor_id", "day", name="one_day_off_per_day"),)


class MentorIndustry(SQLModel, table=True):
    """An industry a mentor can serve, with how well they fit it (1-100)."""

    mentor_id: int = Field(foreign_key="mentor.id", primary_key=True, ondelete="CASCADE")
    industry_code: str = Field(foreign_key="industry.code", primary_key=True, max_length=3)
    fit: int

    __table_args__ = (sa.CheckConstraint("fit >= 1 AND fit <= 100", name="fit_range"),)


class MentorExclusion(SQLModel, table=True):
    """A company a mentor must never serve (conflict of interest)."""

    mentor_id: int = Field(foreign_key="mentor.id", primary_key=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="company.id", primary_key=True, ondelete="CASCADE")
    reason: str = Field(default="", max_length=200)


class Company(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    business_reg_no: str = Field(max_length=10, unique=True)  # 10 digits, no dashes
    industry_code: str = Field(foreign_key="industry.code", max_length=3, index=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    address: str = Field(default="", max_length=200)
    lat: float
    lon: float
    size: str = _state(CompanySize, CompanySize.small)
    employees: int | None = None
    priority: int = Field(default=1)
    status: str = _state(CompanyStatus, CompanyStatus.applied, index=True)
    joined_on: date = Field(default_factory=date.today)
    contact_name: str = Field(default="", max_length=80)
    contact_email: str = Field(default="", max_length=254)
    contact_phone: str = Field(default="", max_length=40)
    calendar_token: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        sa.CheckConstraint("priority >= 1 AND priority <= 5", name="priority_range"),
        sa.CheckConstraint("employees IS NULL OR employees >= 0", name="employees_nonneg"),
        _one_of("size", CompanySize),
        _one_of("status", CompanyStatus),
    )


class CompanyBlockedTime(SQLModel, table=True):
    """A time the company cannot host a visit (shutdown, audit, holiday)."""

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    starts_at: datetime
    ends_at: datetime
    note: str = Field(default="", max_length=200)

    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)


class MatchingRun(SQLModel, table=True):
    """One execution of the matcher, from trigger to approval (or failure)."""

    id: int | None = Field(default=None, primary_key=True)
    trigger: str = _state(RunTrigger, RunTrigger.manual)
    # Unique per trigger window (e.g. "weekly:2026-W48"), so a second scheduler cannot start
    # the same run twice; NULL for runs that need no such guard.
    trigger_key: str | None = Field(default=None, max_length=80, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    params: dict = Field(default_factory=dict, sa_type=sa.JSON)
    status: str = _state(RunStatus, RunStatus.running, index=True)
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
        _one_of("trigger", RunTrigger),
        _one_of("status", RunStatus),
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
    state: str = _state(AssignmentState, AssignmentState.proposed, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None

    __table_args__ = (
        sa.UniqueConstraint("run_id", "company_id", name="one_mentor_per_company_per_run"),
        _one_of("state", AssignmentState),
    )


class VisitSlot(SQLModel, table=True):
    """A proposed or confirmed on-site visit of a mentor at a company."""

    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="mentor.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id")
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    state: str = _state(SlotState, SlotState.proposed, index=True)
    note: str = Field(default="", max_length=500)
    report: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        _one_of("state", SlotState),
    )


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    password_hash: str = Field(max_length=255)
    role: str = _state(Role, Role.coordinator)
    display_name: str = Field(default="", max_length=80)
    mentor_id: int | None = Field(default=None, foreign_key="mentor.id", unique=True)
    company_id: int | None = Field(default=None, foreign_key="company.id", unique=True)
    active: bool = Field(default=True)
    # SHA-256 of the user's API token (the token itself is shown once, never stored).
    api_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        _one_of("role", Role),
        # A mentor user points at exactly its mentor, a company user at its company.
        sa.CheckConstraint(
            "(role = 'coordinator' AND mentor_id IS NULL AND company_id IS NULL)"
            " OR (role = 'mentor' AND mentor_id IS NOT NULL AND company_id IS NULL)"
            " OR (role = 'company' AND company_id IS NOT NULL AND mentor_id IS NULL)",
            name="role_link",
        ),
    )


class AuditLog(SQLModel, table=True):
    """Who changed what, when. `actor` names non-user actors such as the scheduler."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    actor: str = Field(default="", max_length=80)
    action: str = Field(max_length=60)
    entity: str = Field(max_length=40)
    entity_id: str | None = Field(default=None, max_length=40)
    details: dict = Field(default_factory=dict, sa_type=sa.JSON)


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


class OutboxEmail(SQLModel, table=True):
    """An email waiting to be sent (or sent); written in the same transaction as the change."""

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    body: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = Field(default=None, index=True)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
