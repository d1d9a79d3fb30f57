"""On-site inspections of applicants: the mentor pairs and their days, routing runs, and each
applicant's half-day visit with its checklist."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from webapp.core.clock import utcnow
from webapp.core.models import one_of, state_field


class StartPoint(enum.StrEnum):
    technopark = "technopark"  # Jeonbuk Technopark, Jeonju
    home = "home"  # the first mentor's home


class InspectionState(enum.StrEnum):
    proposed = "proposed"  # offered to the company
    confirmed = "confirmed"  # pinned: a replan never moves it
    declined = "declined"  # the company asked for another time
    done = "done"
    cancelled = "cancelled"


LIVE_STATES = (InspectionState.proposed, InspectionState.confirmed, InspectionState.done)


class Recommendation(enum.StrEnum):
    recommend = "recommend"
    conditional = "conditional"
    not_recommended = "not_recommended"


class RoutingStatus(enum.StrEnum):
    running = "running"
    done = "done"
    failed = "failed"


class InspectionPair(SQLModel, table=True):
    """Two mentors inspecting together, the days they work and where their days start."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    mentor_a_id: int = Field(foreign_key="mentor.id")
    mentor_b_id: int = Field(foreign_key="mentor.id")
    start_from: str = state_field(StartPoint, StartPoint.technopark)
    days: list = Field(default_factory=list, sa_type=sa.JSON)  # ISO dates

    __table_args__ = (
        one_of("start_from", StartPoint),
        sa.CheckConstraint("mentor_a_id != mentor_b_id", name="two_mentors"),
        sa.UniqueConstraint("cohort_id", "mentor_a_id", name="a_once_per_cohort"),
        sa.UniqueConstraint("cohort_id", "mentor_b_id", name="b_once_per_cohort"),
    )


class RoutingRun(SQLModel, table=True):
    """One planning of the cohort's inspections by the router, solved in the background."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    status: str = state_field(RoutingStatus, RoutingStatus.running)
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    started_by_id: int | None = Field(default=None, foreign_key="user.id")
    visits: int = Field(default=0)
    served: int = Field(default=0)
    travel_minutes: float = Field(default=0)
    unserved: list = Field(default_factory=list, sa_type=sa.JSON)  # [{"application", "reason"}]
    method: str = Field(default="", max_length=120)
    error: str = Field(default="", sa_type=sa.Text)

    __table_args__ = (
        one_of("status", RoutingStatus),
        # One run at a time per cohort: a second start is refused by the database.
        sa.Index(
            "uq_routingrun_one_running",
            "cohort_id",
            unique=True,
            sqlite_where=sa.text("status = 'running'"),
            postgresql_where=sa.text("status = 'running'"),
        ),
    )


class Inspection(SQLModel, table=True):
    """An applicant's half-day inspection by a pair: the router's plan, then the checklist."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    pair_id: int = Field(foreign_key="inspectionpair.id", index=True)
    run_id: int | None = Field(default=None, foreign_key="routingrun.id")
    day: date = Field(index=True)
    seq: int  # place in the pair's day (1 = first stop)
    starts_at: datetime
    ends_at: datetime
    travel_minutes: float = Field(default=0)  # the drive from the previous stop
    state: str = state_field(InspectionState, InspectionState.proposed, index=True)
    decline_note: str = Field(default="", max_length=500)
    # {"process": {"score": 1-5, "note": "..."}, ...} over the cohort's checklist items
    checklist: dict = Field(default_factory=dict, sa_type=sa.JSON)
    recommendation: str = Field(default="", max_length=20)
    summary: str = Field(default="", sa_type=sa.Text)
    checked_at: datetime | None = None
    checked_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        one_of("state", InspectionState),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint(
            "recommendation IN ('', 'recommend', 'conditional', 'not_recommended')",
            name="recommendation_valid",
        ),
        # One live inspection per application: a replan and a confirmation cannot both win.
        sa.Index(
            "uq_inspection_one_live",
            "application_id",
            unique=True,
            sqlite_where=sa.text("state IN ('proposed', 'confirmed', 'done')"),
            postgresql_where=sa.text("state IN ('proposed', 'confirmed', 'done')"),
        ),
    )
