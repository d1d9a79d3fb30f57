"""Outbox emails delivered to a real local SMTP server (aiosmtpd), with retries."""

import socket

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from webapp.core.models import OutboxEmail
from webapp.core.notifications import MAX_ATTEMPTS, SmtpConfig, queue_email, send_pending


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, SmtpConfig(host="127.0.0.1", port=controller.port, timeout=5)
    controller.stop()


def test_queued_emails_arrive_once(engine, smtp_server):
    inbox, config = smtp_server
    with Session(engine) as session:
        queue_email(session, "kim@m.kr", "Visit confirmed", "Co1 confirmed the visit on 2026-12-01 10:00.")
        queue_email(session, "", "Nobody", "no address: not queued")
        session.commit()
    assert send_pending(engine, config) == (1, 0)
    assert send_pending(engine, config) == (0, 0)
    ((recipients, text),) = inbox.messages
    assert recipients == ["kim@m.kr"] and "Subject: Visit confirmed" in text and "Co1 confirmed" in text


def test_a_failing_server_loses_nothing_and_sending_is_retried(engine, smtp_server):
    inbox, config = smtp_server
    down = SmtpConfig(host="127.0.0.1", port=_free_port(), timeout=2)
    with Session(engine) as session:
        queue_email(session, "co1@c.kr", "Visit cancelled", "Sick")
        session.commit()
    assert send_pending(engine, down) == (0, 1)
    assert send_pending(engine, down) == (0, 1)
    with Session(engine) as session:
        email = session.exec(select(OutboxEmail)).one()
        assert email.attempts == 2 and email.sent_at is None and "Error" in email.last_error
    assert send_pending(engine, config) == (1, 0)
    assert len(inbox.messages) == 1
    with Session(engine) as session:
        email = session.exec(select(OutboxEmail)).one()
        assert email.sent_at is not None and email.last_error is None


def test_gives_up_after_max_attempts(engine):
    down = SmtpConfig(host="127.0.0.1", port=_free_port(), timeout=1)
    with Session(engine) as session:
        queue_email(session, "x@y.kr", "s", "b")
        session.commit()
    for _ in range(MAX_ATTEMPTS):
        send_pending(engine, down)
    assert send_pending(engine, down) == (0, 0)
