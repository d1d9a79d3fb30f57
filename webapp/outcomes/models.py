"""Tables of the outcomes: one `EngagementOutcome` per engagement (targets' lock, completion,
sign-off), its KPI indicators and their change requests, improvement tasks, surveys, exports.

KPI values are exact decimals, stored as text (`DecimalText`) so that SQLite and PostgreSQL
give back the very number that was computed; the improvement is never stored, always computed.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from webapp.core.clock import utcnow
from webapp.core.models import one_of, state_field


class DecimalText(sa.types.TypeDecorator):
    """A Decimal kept as its exact text."""

    impl = sa.String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


class KpiKind(enum.StrEnum):
    productivity = "productivity"
    defect_rate = "defect_rate"
    unit_cost = "unit_cost"
    lead_time = "lead_time"
    on_time_delivery = "on_time_delivery"
    custom = "custom"


class Direction(enum.StrEnum):
    """Which way is better (member names avoid str's own `lower`)."""

    up = "higher"  # higher is better
    down = "lower"


class ChangeState(enum.StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class TaskArea(enum.StrEnum):
    five_s = "five_s"  # 3정5S
    layout = "layout"
    logistics = "logistics"
    automation_jig = "automation_jig"
    quality = "quality"
    safety = "safety"
    data = "data"


class TaskState(enum.StrEnum):
    open = "open"
    solved = "solved"


class SurveyKind(enum.StrEnum):
    week2 = "week2"  # weeks 2-3: is the team working out?
    completion = "completion"  # satisfaction 1-5
    month6 = "month6"  # are the gains kept?
    month12 = "month12"


class GainsKept(enum.StrEnum):
    kept = "kept"
    partly = "partly"
    lost = "lost"


class ExportState(enum.StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class ExportFormat(enum.StrEnum):
    xlsx = "xlsx"
    csv = "csv"  # a .zip of one CSV per sheet


class EngagementOutcome(SQLModel, table=True):
    """Where an engagement's outcome stands: targets agreed and locked, actuals submitted, signed off."""

    engagement_id: int = Field(foreign_key="engagement.id", primary_key=True, ondelete="CASCADE")
    targets_locked_at: datetime | None = None
    targets_locked_by_id: int | None = Field(default=None, foreign_key="user.id")
    summary: str = Field(default="", sa_type=sa.Text)
    submitted_at: datetime | None = None
    submitted_by_id: int | None = Field(default=None, foreign_key="user.id")
    signed_off_at: datetime | None = None
    signed_off_by_id: int | None = Field(default=None, foreign_key="user.id")

    __table_args__ = (
        sa.CheckConstraint(
            "signed_off_at IS NULL OR (submitted_at IS NOT NULL AND targets_locked_at IS NOT NULL)",
            name="sign_off_after_submit",
        ),
    )


class KpiIndicator(SQLModel, table=True):
    """One KPI of an engagement: a standard kind (formula and unit fixed) or a free one."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True, ondelete="CASCADE")
    kind: str = state_field(KpiKind, KpiKind.custom)
    name: str = Field(default="", max_length=80)  # free indicators only
    unit: str = Field(default="", max_length=20)  # free indicators only
    direction: str = state_field(Direction, Direction.up)
    baseline_inputs: dict = Field(default_factory=dict, sa_type=sa.JSON)
    baseline: Decimal | None = Field(default=None, sa_type=DecimalText)
    target: Decimal | None = Field(default=None, sa_type=DecimalText)
    actual_inputs: dict = Field(default_factory=dict, sa_type=sa.JSON)
    actual: Decimal | None = Field(default=None, sa_type=DecimalText)
    created_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        one_of("kind", KpiKind),
        one_of("direction", Direction),
        sa.UniqueConstraint("engagement_id", "kind", "name", name="one_per_engagement"),
        sa.CheckConstraint("kind = 'custom' OR name = ''", name="standard_unnamed"),
        sa.CheckConstraint("target IS NULL OR baseline IS NOT NULL", name="target_needs_baseline"),
    )


class KpiChangeRequest(SQLModel, table=True):
    """A request to change a locked target, with its reason; a coordinator approves or rejects it."""

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="kpiindicator.id", index=True, ondelete="CASCADE")
    old_target: Decimal = Field(sa_type=DecimalText)
    new_target: Decimal = Field(sa_type=DecimalText)
    reason: str = Field(max_length=1000)
    state: str = state_field(ChangeState, ChangeState.pending)
    requested_by_id: int | None = Field(default=None, foreign_key="user.id")
    requested_at: datetime = Field(default_factory=utcnow)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    decision_note: str = Field(default="", max_length=1000)

    __table_args__ = (
        one_of("state", ChangeState),
        # One open request per indicator: the database settles two people asking at once.
        sa.Index(
            "uq_kpichangerequest_one_pending",
            "indicator_id",
            unique=True,
            sqlite_where=sa.text("state = 'pending'"),
            postgresql_where=sa.text("state = 'pending'"),
        ),
    )


class ImprovementTask(SQLModel, table=True):
    """A task the team found on site, with its before photo; solved with an after photo and a note."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True, ondelete="CASCADE")
    area: str = state_field(TaskArea, TaskArea.five_s)
    description: str = Field(max_length=1000)
    owner: str = Field(max_length=80)  # who at the company carries it out
    due_on: date
    state: str = state_field(TaskState, TaskState.open, index=True)
    before_photo_id: int | None = Field(default=None, foreign_key="photo.id")
    after_photo_id: int | None = Field(default=None, foreign_key="photo.id")
    close_note: str = Field(default="", max_length=1000)
    found_at: datetime = Field(default_factory=utcnow)
    found_by_id: int | None = Field(default=None, foreign_key="user.id")
    closed_at: datetime | None = None
    closed_by_id: int | None = Field(default=None, foreign_key="user.id")

    __table_args__ = (
        one_of("area", TaskArea),
        one_of("state", TaskState),
        sa.CheckConstraint(
            "state = 'open' OR (after_photo_id IS NOT NULL AND closed_at IS NOT NULL)",
            name="solved_with_photo",
        ),
    )


class Survey(SQLModel, table=True):
    """One survey of a company about one engagement; (engagement, kind) is sent exactly once."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True, ondelete="CASCADE")
    kind: str = state_field(SurveyKind, SurveyKind.week2)
    due_on: date
    to_address: str = Field(default="", max_length=254)
    sent_at: datetime | None = None
    reminded_at: datetime | None = None
    answered_at: datetime | None = None
    rating: int | None = None  # 1-5: the team (week 2) or the whole engagement (completion)
    working_out: bool | None = None  # week 2
    gains_kept: str | None = Field(default=None, max_length=10)  # follow-ups
    comment: str = Field(default="", max_length=2000)
    flagged: bool = Field(default=False, index=True)  # a poor week-2 answer

    __table_args__ = (
        one_of("kind", SurveyKind),
        sa.UniqueConstraint("engagement_id", "kind", name="once_per_kind"),
        sa.CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
        sa.CheckConstraint(
            "gains_kept IS NULL OR gains_kept IN ('kept', 'partly', 'lost')", name="gains_valid"
        ),
    )


class ExportJob(SQLModel, table=True):
    """A spreadsheet export made in the background; its page shows the progress."""

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id")  # None: province
    year: int | None = None  # the cohorts' year; None: every year
    format: str = state_field(ExportFormat, ExportFormat.xlsx)
    state: str = state_field(ExportState, ExportState.queued)
    done_steps: int = Field(default=0)
    total_steps: int = Field(default=0)
    file_name: str = Field(default="", max_length=80)
    error: str = Field(default="", max_length=500)
    requested_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None

    __table_args__ = (one_of("format", ExportFormat), one_of("state", ExportState))
