"""A company's application to a cohort: what it declared on the public form, whether it is
eligible (and why not), the committee's mean score and the coordinator's decision."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from webapp.core.clock import utcnow
from webapp.core.models import one_of, state_field


class Eligibility(enum.StrEnum):
    pending = "pending"
    eligible = "eligible"
    ineligible = "ineligible"


class Decision(enum.StrEnum):
    pending = "pending"
    selected = "selected"
    waitlisted = "waitlisted"
    rejected = "rejected"


class Application(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    business_reg_no: str = Field(max_length=10)  # 10 digits, check digit verified
    company_name: str = Field(max_length=120)
    representative: str = Field(max_length=80)
    industry_code: str = Field(foreign_key="industry.code", max_length=3)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    address: str = Field(max_length=200)
    lat: float
    lon: float
    revenue_krw: int = Field(sa_type=sa.BigInteger)  # last year's revenue
    employees: int
    previous_support: bool = Field(default=False)  # supported by a smart-factory program before
    other_project: bool = Field(default=False)  # in another smart-factory build project now
    tax_arrears: bool = Field(default=False)
    closed: bool = Field(default=False)  # closed or suspended (set by the coordinator's check)
    contact_name: str = Field(max_length=80)
    contact_phone: str = Field(max_length=40)
    contact_email: str = Field(max_length=254)
    track: str = Field(max_length=20)
    consent_at: datetime  # consent to the personal-data notice (no consent, no application)
    consent_version: str = Field(max_length=20)
    source: str = Field(default="form", max_length=10)  # form | import
    eligibility: str = state_field(Eligibility, Eligibility.pending, index=True)
    eligibility_reasons: list = Field(default_factory=list, sa_type=sa.JSON)
    eligibility_overridden: bool = Field(default=False)
    override_note: str = Field(default="", max_length=500)
    score: float | None = None  # mean of the evaluators' weighted totals
    decision: str = state_field(Decision, Decision.pending, index=True)
    decision_reason: str = Field(default="", max_length=500)
    decided_at: datetime | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    company_id: int | None = Field(default=None, foreign_key="company.id")  # set on selection
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        # The database settles two submissions of one number racing each other.
        sa.UniqueConstraint("cohort_id", "business_reg_no", name="one_per_cohort"),
        one_of("eligibility", Eligibility),
        one_of("decision", Decision),
        sa.CheckConstraint("revenue_krw >= 0", name="revenue_nonneg"),
        sa.CheckConstraint("employees >= 0", name="employees_nonneg"),
        sa.CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
        sa.CheckConstraint("source IN ('form', 'import')", name="source_valid"),
    )
