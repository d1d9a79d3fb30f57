"""Notifications: an in-app list per user and emails through an outbox, in the reader's language.

A change records its notification (a code and its parameters, webapp.core.message_catalog) and
queues its email (plain text and HTML, with a signed link to the right page) in the same
transaction, so a failing mail server never loses the change, and a crash never sends a notice
of a change that was rolled back. Texts are written in the recipient's language (User.language,
Korean by default) from the shared catalog, without a request or app context, so the scheduler
writes them the same way. The scheduler process sends what is waiting (send_pending) and
retries failures up to MAX_ATTEMPTS. SMTP settings come from the environment (SmtpConfig).

A link that opens something by itself (the invitation's set-password link, the applicant's link,
a survey's link) must not stay readable in the outbox, as its token is stored nowhere else (or
only hashed): the caller names the token (`secret`), the stored text holds SECRET_MARKER in its
place, and the token waits apart until the email is sent or sending gives up. The `/go/` one-tap
links are not secrets: they open a page only for the user they were written for, once signed in.

A notification with a `key` happens at most once: the key is unique in the database.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from functools import cache
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session, col, select

from webapp.accounts.models import Role, User
from webapp.config import SmtpConfig
from webapp.core.clock import utcnow
from webapp.core.links import signed_url
from webapp.core.message_catalog import CATALOG
from webapp.core.models import Notification, OutboxEmail
from webapp.directory.models import Company, Mentor
from webapp.ui.dates import format_date, format_datetime, format_span

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# What the outbox holds in place of a secret token, for whoever reads its rows (Korean first).
SECRET_MARKER = "[보안 토큰: 보낸 메일에만 있음 / secret token: only in the email sent]"
WEBAPP = Path(__file__).resolve().parent.parent
DEFAULT_LANGUAGE = "ko"

# Parameters other than plain text, written in the reader's language: name -> formatter.
# Domains add theirs (e.g. webapp.visits.preferences adds "preferences").
ParamFormatter = Callable[[Any, str, Callable[[str], str]], str]
PARAM_FORMATTERS: dict[str, ParamFormatter] = {
    "day": lambda value, lang, _: format_date(date.fromisoformat(value), lang),
    "expires": lambda value, lang, _: format_datetime(datetime.fromisoformat(value), lang),
    "times": lambda value, lang, _: "\n".join(
        f"- {format_span(datetime.fromisoformat(a), datetime.fromisoformat(b), lang)}" for a, b in value
    ),
}


@cache
def translations(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()
    return Translations.load(str(WEBAPP / "translations"), [language])


@cache
def _email_templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(WEBAPP / "templates" / "core" / "email")),
        autoescape=select_autoescape(default=True),
    )


def company_address(session: Session, company_id: int) -> str:
    """Where a company's emails go: its contact email, else its login's."""
    login = session.exec(select(User.email).where(User.company_id == company_id)).first()
    company = session.get(Company, company_id)
    return (company.contact_email if company else "") or login or ""


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    action: str


def render(code: str, params: dict[str, Any], language: str = DEFAULT_LANGUAGE) -> Message:
    """The notification `code` with `params`, written in `language`."""
    gettext = translations(language).gettext
    values = {
        name: PARAM_FORMATTERS[name](value, language, gettext) if name in PARAM_FORMATTERS else value
        for name, value in params.items()
    }
    if "starts" in params and "ends" in params:
        values["when"] = format_span(
            datetime.fromisoformat(params["starts"]), datetime.fromisoformat(params["ends"]), language
        )
    values.setdefault("address", "")
    texts = CATALOG[code]
    return Message(gettext(texts.subject) % values, gettext(texts.body) % values, gettext(texts.action))


@dataclass(frozen=True)
class Recipient:
    email: str
    user_id: int | None = None
    language: str = DEFAULT_LANGUAGE

    @classmethod
    def of(cls, user: User, email: str = "") -> Recipient:
        return cls(email or user.email, user.id, user.language or DEFAULT_LANGUAGE)


def mentor_recipient(session: Session, mentor_id: int) -> Recipient | None:
    login = session.exec(select(User).where(User.mentor_id == mentor_id, User.active)).first()
    mentor = session.get(Mentor, mentor_id)
    if login is not None:
        return Recipient.of(login, mentor.email if mentor else "")
    return Recipient(mentor.email) if mentor and mentor.email else None


def company_recipient(session: Session, company_id: int) -> Recipient | None:
    return company_recipients(session, [company_id]).get(company_id)


def company_recipients(session: Session, company_ids: Collection[int]) -> dict[int, Recipient]:
    """Where each company's notices go (two queries however many): its active login, in the
    login's language, at the company's contact address if it has one; without a login the
    contact address. Companies with neither are left out."""
    logins: dict[int, User] = {}
    for user in session.exec(
        select(User).where(col(User.company_id).in_(company_ids), User.active).order_by(col(User.id))
    ):
        logins.setdefault(cast(int, user.company_id), user)
    contacts = dict(
        session.exec(
            select(col(Company.id), col(Company.contact_email)).where(col(Company.id).in_(company_ids))
        ).all()
    )
    recipients = {}
    for company_id in company_ids:
        login, contact = logins.get(company_id), contacts.get(company_id) or ""
        if login is not None:
            recipients[company_id] = Recipient.of(login, contact)
        elif contact:
            recipients[company_id] = Recipient(contact)
    return recipients


def coordinator_recipients(session: Session) -> list[Recipient]:
    users = session.exec(
        select(User).where(User.role == Role.coordinator.value, User.active).order_by(col(User.id))
    )
    return [Recipient.of(user) for user in users]


def notify(
    session: Session,
    recipient: Recipient | None,
    code: str,
    params: dict[str, Any],
    *,
    link: str = "",
    key: str | None = None,
    link_url: str | None = None,
    secret: str | None = None,
) -> bool:
    """Record the notification and queue its email (in the caller's transaction).

    `link` is the app path the message opens (a signed one-tap link in the email); `link_url`
    replaces it with a ready URL (the invitation's set-password link) whose token, `secret`,
    the outbox keeps only until the email is sent (queue_email). With a `key` that was
    already used nothing is written and False is returned; the database refuses a duplicate
    key written at the same moment by another process (the caller's commit fails).
    """
    if recipient is None:
        return False
    if key is not None and session.exec(select(Notification.id).where(Notification.key == key)).first():
        return False
    session.add(
        Notification(
            user_id=recipient.user_id,
            to_address=recipient.email,
            code=code,
            params=params,
            link=link,
            key=key,
        )
    )
    message = render(code, params, recipient.language)
    url = link_url or (signed_url(recipient.user_id, link) if link and recipient.user_id else "")
    queue_email(
        session,
        recipient.email,
        message.subject,
        message.text + (f"\n\n{message.action}: {url}" if url else ""),
        _email_templates().get_template("notification.html").render(message=message, url=url),
        secret=secret,
    )
    return True


def notify_mentor(session: Session, mentor_id: int, code: str, params: dict[str, Any], **kw: Any) -> bool:
    return notify(session, mentor_recipient(session, mentor_id), code, params, **kw)


def notify_company(session: Session, company_id: int, code: str, params: dict[str, Any], **kw: Any) -> bool:
    return notify(session, company_recipient(session, company_id), code, params, **kw)


def notify_coordinators(session: Session, code: str, params: dict[str, Any], **kw: Any) -> None:
    for recipient in coordinator_recipients(session):
        key = kw.get("key")
        notify(
            session, recipient, code, params, **{**kw, "key": f"{key}:{recipient.user_id}" if key else None}
        )


def queue_email(
    session: Session,
    to_address: str,
    subject: str,
    body: str,
    html: str | None = None,
    *,
    secret: str | None = None,
) -> None:
    """Queue an email to `to_address` (none without an address). `secret` is a token in its
    text that opens something by itself (URL-safe characters): the stored text holds
    SECRET_MARKER in its place and the row keeps the token apart for send_pending."""
    if not to_address:
        return
    if secret:
        body = body.replace(secret, SECRET_MARKER)
        html = html and html.replace(secret, SECRET_MARKER)
    session.add(
        OutboxEmail(to_address=to_address, subject=subject[:200], body=body, html=html, secret=secret)
    )


def as_mailed(text: str, email: OutboxEmail) -> str:
    """`text` (the email's body or HTML) as it is mailed: its secret back in its place."""
    return text.replace(SECRET_MARKER, email.secret) if email.secret else text


def user_notifications(session: Session, user_id: int, limit: int = 50) -> list[Notification]:
    return list(
        session.exec(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
            .limit(limit)
        )
    )


def _send(config: SmtpConfig, email: OutboxEmail) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config.sender, email.to_address, email.subject
    message.set_content(as_mailed(email.body, email))
    if email.html:
        message.add_alternative(as_mailed(email.html, email), subtype="html")
    with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
        if config.starttls:
            smtp.starttls()
        if config.user:
            smtp.login(config.user, config.password)
        smtp.send_message(message)


def send_pending(engine: sa.Engine, config: SmtpConfig | None = None) -> tuple[int, int]:
    """Send every waiting email once; returns (sent, failed). Failures stay queued for retry,
    with their secret; a sent email, or one given up after MAX_ATTEMPTS, loses it."""
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
            if email.sent_at is not None or email.attempts >= MAX_ATTEMPTS:
                email.secret = None
            session.add(email)
            session.commit()
    return sent, failed
