"""The program year (cohort) and its tracks: the frame every application, plan and outcome hangs on.

A cohort is one year of the program: its application period, its tracks with quotas, the weeks
the resident teams can be planned in, and the planning defaults (commute limit, engagement length,
team size, municipality minimums). Figures vary per year (program-facts.md), so they live here,
never in code.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from webapp.core.clock import utcnow
from webapp.core.models import one_of, state_field


class ProgramMode(enum.StrEnum):
    """How the cohort's mentors work: resident teams planned over weeks, or visiting mentors."""

    resident = "resident"
    visiting = "visiting"


class CohortStatus(enum.StrEnum):
    draft = "draft"
    applications_open = "applications_open"
    selection = "selection"  # applications closed: eligibility, inspections, evaluation
    running = "running"  # engagements under way
    closed = "closed"


class Cohort(SQLModel, table=True):
    """One program year (e.g. "2027년 전북-삼성 스마트공장 구축 지원사업")."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    year: int
    mode: str = state_field(ProgramMode, ProgramMode.resident)
    status: str = state_field(CohortStatus, CohortStatus.draft, index=True)
    # Application period (Asia/Seoul instants stored as UTC); None = not scheduled yet.
    applications_open_at: datetime | None = None
    applications_close_at: datetime | None = None
    # The planning horizon: week 0 starts on first_monday; `weeks` weeks in all.
    first_monday: date
    weeks: int = Field(default=44)
    max_commute_km: int = Field(default=80)
    default_engagement_weeks: int = Field(default=8)
    default_team_size: int = Field(default=2)
    # Municipality name_en -> the fewest companies of it to select (co-funders' minimums).
    min_per_municipality: dict = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        one_of("mode", ProgramMode),
        one_of("status", CohortStatus),
        sa.CheckConstraint("weeks >= 1 AND weeks <= 104", name="weeks_range"),
        sa.CheckConstraint("max_commute_km >= 1 AND max_commute_km <= 1000", name="commute_range"),
        sa.CheckConstraint(
            "default_engagement_weeks >= 1 AND default_engagement_weeks <= weeks", name="length_range"
        ),
        sa.CheckConstraint("default_team_size >= 1 AND default_team_size <= 5", name="team_range"),
        sa.CheckConstraint(
            "applications_close_at IS NULL OR applications_open_at IS NULL"
            " OR applications_close_at > applications_open_at",
            name="period_order",
        ),
    )


class CohortTrack(SQLModel, table=True):
    """A track of the cohort (JS1 / JS2 / JS3 or its own) with its quota and eligibility limits."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=20)
    name: str = Field(default="", max_length=120)
    quota: int | None = None  # None = unlimited
    # Eligibility limits of the track (None = no limit).
    max_revenue_krw: int | None = Field(default=None, sa_type=sa.BigInteger)
    max_employees: int | None = None
    first_time_only: bool = Field(default=False)  # never supported by a smart-factory program before

    __table_args__ = (
        sa.UniqueConstraint("cohort_id", "code", name="one_code_per_cohort"),
        sa.CheckConstraint("quota IS NULL OR quota >= 0", name="quota_nonneg"),
    )
