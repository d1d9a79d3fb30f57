"""Outbox emails delivered to a real local SMTP server (aiosmtpd), with retries; a secret link's
token kept apart from the stored text and erased once the email is sent or given up, also for the
emails already in the outbox when migration 0010o runs."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from tests.support.live_server import free_port
from tests.support.mail import stored_text
from webapp.core.models import OutboxEmail
from webapp.core.notifications import MAX_ATTEMPTS, SECRET_MARKER, SmtpConfig, queue_email, send_pending
from webapp.ops import migrate

BACKENDS = ("sqlite", "postgres")
TOKEN = "Zq3-secret_token-0123456789abcdefghijklmnop"
LINK = f"https://mentoring.example.kr/invitation/{TOKEN}"


def _down() -> SmtpConfig:
    return SmtpConfig(host="127.0.0.1", port=free_port(), timeout=1)


def _row(engine) -> OutboxEmail:
    with Session(engine) as session:
        return session.exec(select(OutboxEmail)).one()


def _queue_invitation(engine) -> None:
    with Session(engine) as session:
        queue_email(
            session, "kim@m.kr", "비밀번호 설정", f"설정: {LINK}", f'<a href="{LINK}">설정</a>', secret=TOKEN
        )
        session.commit()


def test_queued_emails_arrive_once(engine, smtp_server):
    inbox, config = smtp_server
    with Session(engine) as session:
        queue_email(session, "kim@m.kr", "Visit confirmed", "Co1 confirmed the visit on 2026-12-01 10:00.")
        queue_email(session, "", "Nobody", "no address: not queued")
        session.commit()
    assert send_pending(engine, config) == (1, 0)
    assert send_pending(engine, config) == (0, 0)
    ((recipients, message),) = inbox.messages
    assert recipients == ["kim@m.kr"] and message["Subject"] == "Visit confirmed"
    assert "Co1 confirmed" in inbox.received("kim@m.kr")[0]


def test_a_failing_server_loses_nothing_and_sending_is_retried(engine, smtp_server):
    inbox, config = smtp_server
    with Session(engine) as session:
        queue_email(session, "co1@c.kr", "Visit cancelled", "Sick")
        session.commit()
    assert send_pending(engine, _down()) == (0, 1)
    assert send_pending(engine, _down()) == (0, 1)
    email = _row(engine)
    assert email.attempts == 2 and email.sent_at is None and "Error" in email.last_error
    assert send_pending(engine, config) == (1, 0)
    assert len(inbox.messages) == 1
    email = _row(engine)
    assert email.sent_at is not None and email.last_error is None


def test_a_secret_link_is_mailed_whole_and_kept_only_until_sent(engine, smtp_server):
    inbox, config = smtp_server
    _queue_invitation(engine)
    email = _row(engine)
    assert TOKEN not in email.body + email.html and email.secret == TOKEN
    assert f"/invitation/{SECRET_MARKER}" in email.body and f"/invitation/{SECRET_MARKER}" in email.html

    assert send_pending(engine, _down()) == (0, 1)
    assert _row(engine).secret == TOKEN  # kept for the retry
    assert send_pending(engine, config) == (1, 0)
    text, html = inbox.received("kim@m.kr")
    assert f"설정: {LINK}" in text and f'href="{LINK}"' in html
    email = _row(engine)
    assert email.sent_at is not None and email.secret is None and SECRET_MARKER in email.body
    assert TOKEN not in stored_text(engine)


def test_gives_up_after_max_attempts_and_forgets_the_secret(engine):
    _queue_invitation(engine)
    for _ in range(MAX_ATTEMPTS - 1):
        send_pending(engine, _down())
    assert _row(engine).secret == TOKEN
    assert send_pending(engine, _down()) == (0, 1)
    assert send_pending(engine, _down()) == (0, 0)
    email = _row(engine)
    assert email.attempts == MAX_ATTEMPTS and email.sent_at is None and email.secret is None
    assert TOKEN not in stored_text(engine)


def test_0010o_hides_the_secret_links_already_in_the_outbox(engine, smtp_server):
    """Sent and given-up emails lose their tokens; a waiting one keeps its token apart and is
    mailed whole; a /go/ link is no secret and stays; a downgrade puts waiting tokens back."""
    inbox, config = smtp_server
    migrate.downgrade(engine, "0010d")
    applicant = "http://127.0.0.1:5000/apply/mine/WzEsIjEwMTgxMDAwMTciXQ.sig-Nature_0"
    survey = "http://127.0.0.1:5000/outcomes/survey/MQ.aBcD12.eFgH-34_x"
    one_tap = "http://127.0.0.1:5000/go/eyJ1Ijo1LCJwIjoiL2NvbXBhbnkvIn0.ZZ.sig"
    sent_at = datetime(2026, 11, 1, tzinfo=UTC)
    rows = {
        "sent@x.kr": (f"설정: {LINK}\n", f'<a href="{LINK}">설정</a>', sent_at, 1),
        "given-up@x.kr": (f"설문: {survey}\n", None, None, MAX_ATTEMPTS),
        "waiting@x.kr": (f"신청서:\n{applicant}\n\n링크는 혼자만 보관하세요.", None, None, 2),
        "one-tap@x.kr": (f"방문 확정: {one_tap}", f'<a href="{one_tap}">보기</a>', None, 0),
    }
    with engine.begin() as connection:  # the table as it is at 0010d: no secret column
        connection.execute(
            sa.insert(OutboxEmail.__table__),
            [
                dict(
                    to_address=to,
                    subject="s",
                    body=body,
                    html=html,
                    sent_at=sent,
                    attempts=n,
                    created_at=sent_at,
                )
                for to, (body, html, sent, n) in rows.items()
            ],
        )
    migrate.upgrade(engine)
    migrate.downgrade(engine, "0010d")  # the waiting token goes back into its text ...
    with engine.connect() as connection:
        bodies = dict(connection.execute(sa.text("SELECT to_address, body FROM outboxemail")).all())
    assert applicant in bodies["waiting@x.kr"] and LINK not in bodies["sent@x.kr"]
    migrate.upgrade(engine)  # ... and apart again

    with Session(engine) as session:
        stored = {e.to_address: e for e in session.exec(select(OutboxEmail))}
    assert stored["sent@x.kr"].body == f"설정: https://mentoring.example.kr/invitation/{SECRET_MARKER}\n"
    assert (
        stored["sent@x.kr"].html
        == f'<a href="https://mentoring.example.kr/invitation/{SECRET_MARKER}">설정</a>'
    )
    assert stored["given-up@x.kr"].body == f"설문: http://127.0.0.1:5000/outcomes/survey/{SECRET_MARKER}\n"
    assert stored["waiting@x.kr"].secret == applicant.rsplit("/", 1)[1]
    assert stored["one-tap@x.kr"].body == rows["one-tap@x.kr"][0] and stored["one-tap@x.kr"].secret is None
    for secret in (TOKEN, applicant, survey):
        assert secret not in "".join(e.body + (e.html or "") for e in stored.values())

    assert send_pending(engine, config) == (2, 0)
    assert applicant in inbox.received("waiting@x.kr")[0] and one_tap in inbox.received("one-tap@x.kr")[0]
    assert not any(secret.rsplit("/", 1)[1] in stored_text(engine) for secret in (LINK, applicant, survey))
