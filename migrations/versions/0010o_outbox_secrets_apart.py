"""outbox secrets apart: outboxemail.secret holds the token of a link that opens something by
itself (an invitation's set-password link, an applicant's link, a survey's link) until its email
is sent; the stored text holds a marker in its place (webapp.core.notifications.queue_email).

The emails already in the outbox are treated the same way here. A waiting one (not sent, fewer
than 8 attempts) gets its token moved into the new column, so it is still sent with a working
link. A sent one, or one given up, loses its token: its text keeps the path with the marker.
That is the point: invitation tokens are stored only hashed elsewhere, and a copy of the
database must not open what the hash protects. Nothing is lost by it: the app never sends an
email again from its row; an invitation not yet used is sent anew from the login's page (the
new one ends the old), and an applicant or a survey link is in the email its owner received.

A downgrade puts the tokens of waiting emails back into their text, so they are sent as before;
the tokens of sent emails are gone for good.

Revision ID: 0010o
Revises: 0010d
Create Date: 2026-11-29 20:09:22.962419
"""
import re
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0010o'
down_revision: Union[str, None] = '0010d'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# As the app has them at this revision (webapp.core.notifications).
MARKER = '[보안 토큰: 보낸 메일에만 있음 / secret token: only in the email sent]'
MAX_ATTEMPTS = 8
PATHS = ('/invitation/', '/apply/mine/', '/outcomes/survey/')
LINK = re.compile('(?:' + '|'.join(map(re.escape, PATHS)) + r')([A-Za-z0-9_.-]+)')

outbox = sa.table(
    'outboxemail',
    sa.column('id', sa.Integer),
    sa.column('body', sa.Text),
    sa.column('html', sa.Text),
    sa.column('sent_at', sa.DateTime),
    sa.column('attempts', sa.Integer),
    sa.column('secret', sa.String),
)


def _update(rows: list[dict]) -> None:
    if rows:
        values = {name: sa.bindparam(f'new_{name}') for name in ('body', 'html', 'secret')}
        op.get_bind().execute(outbox.update().where(outbox.c.id == sa.bindparam('row')).values(**values), rows)


def upgrade() -> None:
    with op.batch_alter_table('outboxemail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secret', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))

    linked = sa.or_(*(column.contains(path) for path in PATHS for column in (outbox.c.body, outbox.c.html)))
    changed = []
    for row in op.get_bind().execute(sa.select(outbox).where(linked)):
        tokens = [m[1] for text in (row.body, row.html or '') for m in LINK.finditer(text)]
        if not tokens:
            continue
        waiting = row.sent_at is None and row.attempts < MAX_ATTEMPTS
        # A waiting email keeps its one link's token apart (the app writes one per email).
        hidden = tokens[:1] if waiting else tokens
        body, html = row.body, row.html
        for token in hidden:
            body, html = body.replace(token, MARKER), html and html.replace(token, MARKER)
        secret = hidden[0] if waiting else None
        changed.append({'row': row.id, 'new_body': body, 'new_html': html, 'new_secret': secret})
    _update(changed)


def downgrade() -> None:
    waiting = op.get_bind().execute(sa.select(outbox).where(outbox.c.secret.is_not(None))).all()
    _update([
        {
            'row': row.id,
            'new_body': row.body.replace(MARKER, row.secret),
            'new_html': row.html and row.html.replace(MARKER, row.secret),
            'new_secret': None,
        }
        for row in waiting
    ])
    with op.batch_alter_table('outboxemail', schema=None) as batch_op:
        batch_op.drop_column('secret')
