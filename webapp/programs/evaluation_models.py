"""The evaluation committee: conflicts of interest, assignments and scores."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from webapp.core.clock import utcnow


class ConflictOfInterest(SQLModel, table=True):
    """An evaluator's declared conflict with a company (by business number, across cohorts)."""

    id: int | None = Field(default=None, primary_key=True)
    evaluator_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    business_reg_no: str = Field(max_length=10)
    reason: str = Field(default="", max_length=200)
    declared_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (sa.UniqueConstraint("evaluator_id", "business_reg_no", name="once_per_company"),)


class EvaluationAssignment(SQLModel, table=True):
    """An application given to an evaluator, with their scores once submitted."""

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True, ondelete="CASCADE")
    evaluator_id: int = Field(foreign_key="user.id", index=True)
    scores: dict = Field(default_factory=dict, sa_type=sa.JSON)  # criterion key -> 0..100
    comment: str = Field(default="", max_length=1000)
    total: float | None = None  # weighted mean of `scores`
    submitted_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("application_id", "evaluator_id", name="once_per_evaluator"),
        sa.CheckConstraint("total IS NULL OR (total >= 0 AND total <= 100)", name="total_range"),
    )
