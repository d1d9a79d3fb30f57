"""no double booking: a mentor's confirmed visits never overlap, enforced by the database

PostgreSQL gets an exclusion constraint; SQLite (which has none) gets triggers that abort an
insert or update creating an overlap. SQLite runs one writer at a time, so the trigger's check
and the write cannot interleave with another transaction's.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The message is matched by webapp.visits to tell the user "that slot was just taken".
OVERLAP_MESSAGE = "visit_overlaps_confirmed_visit"

_SQLITE_CHECK = f"""
    SELECT RAISE(ABORT, '{OVERLAP_MESSAGE}')
    WHERE NEW.state = 'confirmed' AND EXISTS (
        SELECT 1 FROM visitslot AS other
        WHERE other.mentor_id = NEW.mentor_id AND other.state = 'confirmed' AND other.id != NEW.id
          AND other.starts_at < NEW.ends_at AND NEW.starts_at < other.ends_at
    );
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE visitslot ADD CONSTRAINT ex_visitslot_no_double_booking "
            "EXCLUDE USING gist (mentor_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
            "WHERE (state = 'confirmed')"
        )
        return
    for event in ("INSERT", "UPDATE"):
        op.execute(
            f"CREATE TRIGGER visitslot_no_double_booking_{event.lower()} "
            f"BEFORE {event} ON visitslot FOR EACH ROW BEGIN {_SQLITE_CHECK} END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE visitslot DROP CONSTRAINT ex_visitslot_no_double_booking")
        return
    for event in ("insert", "update"):
        op.execute(f"DROP TRIGGER visitslot_no_double_booking_{event}")
