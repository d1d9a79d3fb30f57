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
    # Eligibility rules applied to every application besides its track's limits (program-facts 4).
    rule_no_other_project: bool = Field(default=True)  # no other smart-factory project running
    rule_no_tax_arrears: bool = Field(default=True)
    rule_not_closed: bool = Field(default=True)  # not closed or suspended
    # The on-site inspection's readiness checklist and the committee's rubric, as lists of
    # {"key", "ko", "en"} (rubric items also carry "weight"); empty = the program's defaults
    # (webapp.programs.rubrics).
    checklist: list = Field(default_factory=list, sa_type=sa.JSON)
    rubric: list = Field(default_factory=list, sa_type=sa.JSON)
    # The inspection window and day (minutes after midnight, Asia/Seoul) and a visit's length.
    inspection_first_day: date | None = None
    inspection_last_day: date | None = None
    inspection_day_start: int = Field(default=540)
    inspection_day_end: int = Field(default=1080)
    inspection_minutes: int = Field(default=180)
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
        sa.CheckConstraint(
            "inspection_last_day IS NULL OR inspection_first_day IS NULL"
            " OR inspection_last_day >= inspection_first_day",
            name="inspection_window_order",
        ),
        sa.CheckConstraint(
            "inspection_day_start >= 0 AND inspection_day_end <= 1440"
            " AND inspection_day_end > inspection_day_start",
            name="inspection_day_range",
        ),
        sa.CheckConstraint(
            "inspection_minutes >= 30 AND inspection_minutes <= 600", name="inspection_minutes_range"
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
