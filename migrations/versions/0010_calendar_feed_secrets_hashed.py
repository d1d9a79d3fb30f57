"""calendar feed secrets hashed: mentor.calendar_token and company.calendar_token become
calendar_token_hash and hold the SHA-256 of the secret, as API tokens and invitations already do.

Every stored secret is hashed here, so the feed addresses people subscribed to keep working (the
address holds the secret; the app now looks up its digest). The columns are renamed in place
(ALTER TABLE ... RENAME COLUMN on both databases): no table copy, which on SQLite would cascade
deletes into every table that refers to mentor or company; the unique constraints keep their
names (uq_mentor_calendar_token, uq_company_calendar_token).

A downgrade cannot bring the plain secrets back: it empties the column, and every feed then needs
a new address.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 10:00:00.000000
"""
import hashlib
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ('mentor', 'company')


def _secrets(name: str, column: str) -> sa.TableClause:
    return sa.table(name, sa.column('id', sa.Integer), sa.column(column, sa.String))


def upgrade() -> None:
    bind = op.get_bind()
    for name in TABLES:
        op.alter_column(name, 'calendar_token', new_column_name='calendar_token_hash')
        table = _secrets(name, 'calendar_token_hash')
        stored = bind.execute(
            sa.select(table.c.id, table.c.calendar_token_hash).where(table.c.calendar_token_hash.is_not(None))
        ).all()
        if stored:
            bind.execute(
                table.update().where(table.c.id == sa.bindparam('row')).values(calendar_token_hash=sa.bindparam('digest')),
                [{'row': row, 'digest': hashlib.sha256(token.encode()).hexdigest()} for row, token in stored],
            )


def downgrade() -> None:
    for name in TABLES:
        op.execute(_secrets(name, 'calendar_token_hash').update().values(calendar_token_hash=None))
        op.alter_column(name, 'calendar_token_hash', new_column_name='calendar_token')
