"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL: a row made exactly once, however many
processes try at the same moment (the database decides; the loser learns it from the row count)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def insert_if_absent(session: Session, model: Any, keys: list[str] | None, **values: Any) -> bool:
    """Insert one row unless one with the same `keys` exists (None: any unique constraint or index
    would be broken); True when this call inserted it."""
    dialect = session.get_bind().dialect.name
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    key = sa.inspect(model).primary_key[0]
    statement = insert(model).values(**values).on_conflict_do_nothing(index_elements=keys).returning(key)
    return session.exec(statement).first() is not None  # a row comes back only when inserted
