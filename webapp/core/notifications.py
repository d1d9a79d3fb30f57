"""Notification emails through an outbox.

A change writes its email to the outbox table in the same transaction, so a failing mail server
never loses the change, and a crash never sends a notice of a change that was rolled back. The
scheduler process sends what is waiting (send_pending) and retries failures up to MAX_ATTEMPTS.
SMTP settings come from the environment (webapp.config.SmtpConfig).
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.accounts.models import User
from webapp.config import SmtpConfig
from webapp.core.clock import utcnow
from webapp.core.models import OutboxEmail
from webapp.directory.models import Company, Mentor

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def queue_email(session: Session, to_address: str, subject: str, body: str) -> None:
    if to_address:
        session.add(OutboxEmail(to_address=to_address, subject=subject[:200], body=body))


def company_address(session: Session, company_id: int) -> str:
    """Where a company's emails go: its contact email, else its login's."""
    login = session.exec(select(User.email).where(User.company_id == company_id)).first()
    company = session.get(Company, company_id)
    return (company.contact_email if company else "") or login or ""


def notify_mentor(session: Session, mentor_id: int, subject: str, body: str) -> None:
    mentor = session.get(Mentor, mentor_id)
    queue_email(session, mentor.email if mentor else "", subject, body)


def notify_company(session: Session, company_id: int, subject: str, body: str) -> None:
    queue_email(session, company_address(session, company_id), subject, body)


def _send(config: SmtpConfig, email: OutboxEmail) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config.sender, email.to_address, email.subject
    message.set_content(email.body)
    with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
        if config.starttls:
            smtp.starttls()
        if config.user:
            smtp.login(config.user, config.password)
        smtp.send_message(message)


def send_pending(engine: sa.Engine, config: SmtpConfig | None = None) -> tuple[int, int]:
    """Send every waiting email once; returns (sent, failed). Failures stay queued for retry."""
    config = config or SmtpConfig.from_env()
    sent = failed = 0
    with Session(engine) as session:
        waiting = session.exec(
            select(OutboxEmail)
            .where(col(OutboxEmail.sent_at).is_(None), OutboxEmail.attempts < MAX_ATTEMPTS)
            .order_by(col(OutboxEmail.id))
        ).all()
        for email in waiting:
            email.attempts += 1
            try:
                _send(config, email)
            except (OSError, smtplib.SMTPException) as exc:
                email.last_error = f"{exc.__class__.__name__}: {exc}"
                failed += 1
                log.warning(
                    "Email %s to %s not sent (attempt %s): %s",
                    email.id,
                    email.to_address,
                    email.attempts,
                    exc,
                )
            else:
                email.sent_at = utcnow()
                email.last_error = None
                sent += 1
            session.add(email)
            session.commit()
    return sent, failed
