"""Engine and session handling.

DATABASE_URL selects the database; the default is an SQLite file under instance/. SQLite gets
WAL mode, a busy timeout and enforced foreign keys on every connection so that the web server
and the scheduler process can write side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from webapp.config import database_url

SQLITE_BUSY_TIMEOUT_MS = 15_000
T = TypeVar("T")


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str | None = None) -> sa.Engine:
    url = database_url(url)
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
        sa.event.listen(engine, "connect", _configure_sqlite)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def is_sqlite_lock_conflict(exc: Exception) -> bool:
    """SQLite refused a write because another transaction wrote first (retrying will succeed)."""
    return isinstance(exc, sa.exc.OperationalError) and "database is locked" in str(exc.orig)


# PostgreSQL's serialization failure and deadlock: one of two conflicting transactions is
# refused and succeeds (or sees the other's result) when tried again.
_RETRYABLE_PG_CODES = {"40001", "40P01"}


def is_retryable_conflict(exc: Exception) -> bool:
    """Two transactions collided and this one was refused; trying it again is the answer."""
    if is_sqlite_lock_conflict(exc):
        return True
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in _RETRYABLE_PG_CODES


def serialize(session: Session, name: str) -> None:
    """Make transactions that call this with the same `name` run one after the other: the
    second waits here until the first commits or rolls back, then reads what it wrote.

    PostgreSQL: a transaction-level advisory lock (READ COMMITTED alone would let two such
    transactions check the same state before either commits). SQLite needs nothing: a write
    transaction already excludes every other writer until it ends.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection().execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(name))))


@contextmanager
def session_scope(engine: sa.Engine) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back entirely on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def get_existing(session: Session, model: type[T], key: Any) -> T:
    """A row that must exist (a foreign key or the signed-in user points at it)."""
    record = session.get(model, key)
    if record is None:
        raise LookupError(f"no {model.__name__} {key}")
    return record


def id_of(record: Any) -> int:
    """The id of a row that has been flushed (SQLModel types ids as optional until then)."""
    if record.id is None:
        raise ValueError(f"{type(record).__name__} has no id yet (not flushed)")
    return int(record.id)
