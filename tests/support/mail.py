"""The tests' mail: a local SMTP server's inbox (what send_pending delivered), the outbox's
emails as they will be mailed, the links in them, and what a copy of the database gives away."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from webapp.core.models import OutboxEmail
from webapp.core.notifications import as_mailed


class Inbox:
    """An aiosmtpd handler keeping every message it receives, as (recipients, message)."""

    def __init__(self):
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def received(self, to_address: str) -> tuple[str, str]:
        """The plain text and the HTML ("" without one) of the last message to `to_address`."""
        message = next(m for recipients, m in reversed(self.messages) if to_address in recipients)
        html = message.get_body(("html",))
        return message.get_body(("plain",)).get_content(), html.get_content() if html else ""


def link(text: str, path: str) -> str:
    """The app path of the first absolute link in `text` that starts with `path`."""
    found = re.search(rf"https?://[^/\s\"]+({re.escape(path)}[^\s\"<]*)", text)
    assert found, text
    return found[1]


def waiting_text(engine, to_address: str) -> str:
    """The plain text of the newest outbox email to `to_address`, as it will be mailed."""
    with Session(engine) as s:
        email = s.exec(
            select(OutboxEmail)
            .where(OutboxEmail.to_address == to_address)
            .order_by(col(OutboxEmail.id).desc())
        ).first()
    assert email is not None, to_address
    return as_mailed(email.body, email)


def stored_text(engine, leave_out: tuple[str, ...] = ()) -> str:
    """Every value of every table (but `leave_out`), as text: what a copy of the database gives away."""
    tables = [t for t in SQLModel.metadata.sorted_tables if t.name not in leave_out]
    with engine.connect() as connection:
        return "\n".join(repr(tuple(row)) for table in tables for row in connection.execute(sa.select(table)))
