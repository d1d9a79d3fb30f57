"""holes of issue #13: sessions end server-side (user.session_epoch); a mentor's weekly
availability windows never overlap, enforced by the database (an exclusion constraint on
PostgreSQL, triggers on SQLite, as 0002 does for visits)

Revision ID: 0007
Revises: 0002
Create Date: 2026-11-29
"""

from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (the models' column types)
from alembic import op

revision: str = "0007"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# The message is matched by webapp.directory.mentor_views to show "overlaps another window".
WINDOW_OVERLAP = "availability_overlaps_window"

_SQLITE_CHECK = f"""
    SELECT RAISE(ABORT, '{WINDOW_OVERLAP}')
    WHERE EXISTS (
        SELECT 1 FROM mentoravailability AS other
        WHERE other.mentor_id = NEW.mentor_id AND other.weekday = NEW.weekday AND other.id != NEW.id
          AND other.starts < NEW.ends AND NEW.starts < other.ends
    );
"""


def upgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE mentoravailability ADD CONSTRAINT ex_mentoravailability_no_overlap "
            "EXCLUDE USING gist (mentor_id WITH =, weekday WITH =, "
            "tsrange(DATE '2000-01-03' + starts, DATE '2000-01-03' + ends) WITH &&)"
        )
        return
    for event in ("INSERT", "UPDATE"):
        op.execute(
            f"CREATE TRIGGER mentoravailability_no_overlap_{event.lower()} "
            f"BEFORE {event} ON mentoravailability FOR EACH ROW BEGIN {_SQLITE_CHECK} END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE mentoravailability DROP CONSTRAINT ex_mentoravailability_no_overlap")
    else:
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER mentoravailability_no_overlap_{event}")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("session_epoch")
