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
    size: str = state_field(CompanySize, CompanySize.small)
    employees: int | None = None
    priority: int = Field(default=1)
    status: str = state_field(CompanyStatus, CompanyStatus.applied, index=True)
    joined_on: date = Field(default_factory=seoul_today)
    contact_name: str = Field(default="", max_length=80)
    contact_email: str = Field(default="", max_length=254)
    contact_phone: str = Field(default="", max_length=40)
    calendar_token: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        sa.CheckConstraint("priority >= 1 AND priority <= 5", name="priority_range"),
        sa.CheckConstraint("employees IS NULL OR employees >= 0", name="employees_nonneg"),
        one_of("size", CompanySize),
        one_of("status", CompanyStatus),
    )


class CompanyBlockedTime(SQLModel, table=True):
    """A time the company cannot host a visit (shutdown, audit, holiday)."""

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    starts_at: datetime
    ends_at: datetime
    note: str = Field(default="", max_length=200)

    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)
