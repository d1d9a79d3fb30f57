"""What every domain's tables share (the constraint naming convention and the state-column
helpers) and the tables of core: the audit log and the email outbox. Each domain keeps its
tables in its own models.py; webapp.core.registry loads them all onto one metadata.

State columns are stored as short strings guarded by CHECK constraints rather than native
database enums, so that the same migration runs on SQLite and PostgreSQL and a new state
needs no ALTER TYPE.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from webapp.core.clock import utcnow

# Stable constraint names, so that Alembic's batch mode (SQLite) can find and alter them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def one_of(column: str, values: type[enum.Enum]) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")


def state_field(values: type[enum.Enum], default: enum.Enum, **kw: Any) -> Any:
    return Field(default=default.value, sa_type=sa.String(20), nullable=False, **kw)


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


class OutboxEmail(SQLModel, table=True):
    """An email waiting to be sent (or sent); written in the same transaction as the change.

    A link's token that opens something by itself (a set-password or an applicant's link) is
    never in `body` or `html`: they hold a marker in its place, and `secret` holds the token
    until the email is sent or sending gives up (webapp.core.notifications.queue_email).
    """

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    body: str = Field(sa_type=sa.Text)
    html: str | None = Field(default=None, sa_type=sa.Text)  # the HTML part beside the plain text
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = Field(default=None, index=True)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    secret: str | None = Field(default=None, max_length=200)


class Notification(SQLModel, table=True):
    """A message to one user, shown in the app's list and (usually) mailed too. Stored as a code
    and its parameters, and written in the reader's language when shown or mailed.

    `key` makes a notification happen at most once (e.g. "reminder:day_before:17"): a second
    insert with the same key is refused by the database.
    """

    id: int | None = Field(default=None, primary_key=True)
    # The reader's login; None for a recipient without one (a company's contact address).
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="CASCADE")
    to_address: str = Field(default="", max_length=254)
    code: str = Field(max_length=40)
    params: dict = Field(default_factory=dict, sa_type=sa.JSON)
    link: str = Field(default="", max_length=300)  # the app path it opens
    key: str | None = Field(default=None, max_length=120, unique=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    read_at: datetime | None = Field(default=None)
