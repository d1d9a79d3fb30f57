"""User accounts: coordinators, mentors and companies signing in."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from webapp.core.clock import utcnow
from webapp.core.models import one_of, state_field


class Role(enum.StrEnum):
    coordinator = "coordinator"
    mentor = "mentor"
    company = "company"
    evaluator = "evaluator"  # evaluation committee member (webapp.programs)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    password_hash: str = Field(max_length=255)
    role: str = state_field(Role, Role.coordinator)
    display_name: str = Field(default="", max_length=80)
    mentor_id: int | None = Field(default=None, foreign_key="mentor.id", unique=True)
    company_id: int | None = Field(default=None, foreign_key="company.id", unique=True)
    active: bool = Field(default=True)
    # Part of every session's id: raising it ends all the user's sessions (sign-out, a new
    # password, the login switched off), whatever cookies were copied before.
    session_epoch: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # SHA-256 of the user's API token (the token itself is shown once, never stored).
    api_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    # The language of the user's emails and calendar entries (pages follow the switch).
    language: str = Field(default="ko", max_length=5, sa_column_kwargs={"server_default": "ko"})
    # Set while the password is a temporary one: the first sign-in asks for a new password.
    must_change_password: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})

    __table_args__ = (
        one_of("role", Role),
        # A mentor user points at exactly its mentor, a company user at its company.
        sa.CheckConstraint(
            "(role = 'coordinator' AND mentor_id IS NULL AND company_id IS NULL)"
            " OR (role = 'mentor' AND mentor_id IS NOT NULL AND company_id IS NULL)"
            " OR (role = 'company' AND company_id IS NOT NULL AND mentor_id IS NULL)"
            " OR (role = 'evaluator' AND mentor_id IS NULL AND company_id IS NULL)",
            name="role_link",
        ),
    )


class Invitation(SQLModel, table=True):
    """A one-time set-password link mailed to a new login. Only the token's SHA-256 is stored;
    it works once (used_at set by a conditional update) and until expires_at."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = Field(default=None)
