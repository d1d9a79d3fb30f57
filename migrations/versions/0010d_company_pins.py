"""desk: a coordinator pins a company to a mentor ("this company keeps this mentor") for the
next matching runs.

Revision ID: 0010d
Revises: 0010
Create Date: 2026-11-30 10:00:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0010d'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('companypin',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_companypin_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_companypin_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentor_id'], ['mentor.id'], name=op.f('fk_companypin_mentor_id_mentor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('company_id', name=op.f('pk_companypin'))
    )
    with op.batch_alter_table('companypin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_companypin_mentor_id'), ['mentor_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('companypin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_companypin_mentor_id'))
    op.drop_table('companypin')
