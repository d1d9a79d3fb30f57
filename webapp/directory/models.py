"""The program's records: municipalities, industries, mentors (industries, exclusions,
availability, days off) and companies (blocked times)."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from webapp.core.clock import seoul_today, utcnow
from webapp.core.models import one_of, state_field


class CompanyStatus(enum.StrEnum):
    applied = "applied"
    active = "active"
    completed = "completed"
    withdrawn = "withdrawn"


IN_PROGRAM = (CompanyStatus.applied, CompanyStatus.active)  # the companies matching serves


class CompanySize(enum.StrEnum):
    micro = "micro"  # fewer than 10 employees
    small = "small"  # 10-49
    medium = "medium"  # 50-299


def feed_secret_unique(table: str) -> sa.UniqueConstraint:
    """The unique constraint of a calendar feed's digest. It keeps the name 0001 gave the plain
    token's: migration 0010 hashed the tokens in a column renamed in place, since SQLite renames a
    constraint only by copying the table, and copying mentor or company would cascade deletes into
    every table that refers to them."""
    return sa.UniqueConstraint("calendar_token_hash", name=f"uq_{table}_calendar_token")


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
    # SHA-256 of the secret in the URL of the mentor's iCalendar feed (webapp.visits.calendar_views).
    calendar_token_hash: str | None = Field(default=None, max_length=64)
    # What the mentor brings to a resident team (lowercase words: automation, quality, ...).
    skills: list = Field(default_factory=list, sa_type=sa.JSON)
    # Engagements the mentor can serve at once in one week (1 = resident at one company).
    max_concurrent: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        sa.CheckConstraint("capacity >= 0 AND capacity <= 50", name="capacity_range"),
        sa.CheckConstraint("max_concurrent >= 0 AND max_concurrent <= 5", name="concurrent_range"),
        feed_secret_unique("mentor"),
    )


class MentorLeave(SQLModel, table=True):
    """Days on which a mentor serves no engagement (leave, training); weeks they touch are
    unavailable to the engagement planner."""

    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="mentor.id", index=True, ondelete="CASCADE")
    starts: date
    ends: date  # inclusive
    note: str = Field(default="", max_length=200)

    __table_args__ = (sa.CheckConstraint("ends >= starts", name="ends_after_starts"),)


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
    size: str = state_field(CompanySize, CompanySize.small)
    employees: int | None = None
    priority: int = Field(default=1)
    status: str = state_field(CompanyStatus, CompanyStatus.applied, index=True)
    joined_on: date = Field(default_factory=seoul_today)
    contact_name: str = Field(default="", max_length=80)
    contact_email: str = Field(default="", max_length=254)
    contact_phone: str = Field(default="", max_length=40)
    # SHA-256 of the secret in the URL of the company's iCalendar feed.
    calendar_token_hash: str | None = Field(default=None, max_length=64)
    # The program year the company applied to and its place in it (resident-team planning):
    # track (e.g. JS1), the committee's score, skills its team must cover, and its engagement's
    # length and team size (None = the cohort's defaults).
    cohort_id: int | None = Field(default=None, foreign_key="cohort.id", index=True)
    track: str = Field(default="", max_length=20)
    score: int | None = None
    required_skills: list = Field(default_factory=list, sa_type=sa.JSON)
    engagement_weeks: int | None = None
    team_size: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        sa.CheckConstraint("priority >= 1 AND priority <= 5", name="priority_range"),
        sa.CheckConstraint("score IS NULL OR (score >= 1 AND score <= 100)", name="score_range"),
        sa.CheckConstraint(
            "engagement_weeks IS NULL OR (engagement_weeks >= 1 AND engagement_weeks <= 104)",
            name="engagement_weeks_range",
        ),
        sa.CheckConstraint(
            "team_size IS NULL OR (team_size >= 1 AND team_size <= 5)", name="team_size_range"
        ),
        sa.CheckConstraint("employees IS NULL OR employees >= 0", name="employees_nonneg"),
        one_of("size", CompanySize),
        one_of("status", CompanyStatus),
        feed_secret_unique("company"),
    )


class CompanyBlockedTime(SQLModel, table=True):
    """A time the company cannot host a visit (shutdown, audit, holiday)."""

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    starts_at: datetime
    ends_at: datetime
    note: str = Field(default="", max_length=200)

    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)
