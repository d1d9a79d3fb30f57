"""Notifications: written from codes in the reader's language, HTML + plain text with a signed
one-tap link, listed in the app; reminders the day before and on the morning, exactly once."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import Session, select, update

from tests.support.visits import add_visit
from webapp.accounts.models import User
from webapp.core.clock import SEOUL
from webapp.core.links import read_link, signed_url
from webapp.core.message_catalog import CATALOG
from webapp.core.models import Notification, OutboxEmail
from webapp.core.notifications import render
from webapp.visits import pages
from webapp.visits.reminders import send_reminders

PARAMS = {
    "mentor": "김멘토",
    "company": "전주정밀",
    "address": "전주시 덕진구 1",
    "starts": "2026-11-30T00:00:00+00:00",
    "ends": "2026-11-30T04:00:00+00:00",
    "times": [["2026-11-30T00:00:00+00:00", "2026-11-30T04:00:00+00:00"]],
    "day": "2026-11-30",
    "expires": "2026-12-03T00:00:00+00:00",
    "weeks": 4,
    "note": "화/목 오후",
    "reason": "출장",
    "actor": "김멘토",
    "email": "a@b.kr",
    "meeting": "착수 회의",
    "what": "현장실사 일정이 확정되었습니다",
    "preferences": {"weekdays": [1, 3], "halves": ["pm"], "unavailable": [["2026-12-07", "2026-12-11"]]},
}


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_message_is_written_in_korean_with_korean_dates(code):
    korean, english = render(code, PARAMS, "ko"), render(code, PARAMS, "en")
    assert korean.subject != english.subject and korean.text != english.text
    assert not any(word in korean.text for word in ("visit", "Mentor", "company"))
    if "%(when)s" in CATALOG[code].body or "%(times)s" in CATALOG[code].body:
        assert "2026. 11. 30.(월) 09:00–13:00" in korean.text
        assert "2026. 11. 30.(Mon) 09:00–13:00" in english.text


def _world_user(web_app, email):
    with Session(web_app.extensions["engine"]) as s:
        return s.exec(select(User).where(User.email == email)).one()


def test_an_email_is_html_and_text_in_the_recipients_language_with_a_one_tap_link(web_app, clients, world):
    engine = web_app.extensions["engine"]
    with Session(engine) as s:
        s.exec(update(User).where(User.email == world.users["mentor_a"]).values(language="en"))
        s.commit()
    clients["company_a"].post(f"/visits/{world.slots[1]}/confirm")
    with Session(engine) as s:
        email = s.exec(select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()
    assert email.to_address == "ma@m.kr" and email.subject.startswith("Visit confirmed: 회사A, ")
    assert "<a href=" in email.html and "Open my schedule" in email.html
    link = email.body.rsplit(": ", 1)[1]
    assert link.startswith("http://127.0.0.1:5000/go/")
    token = link.rsplit("/", 1)[1]
    with web_app.app_context():
        target = read_link(token)
    assert target["p"].startswith("/mentor/schedule?week=")
    mentor = clients["mentor_a"]
    assert mentor.get(f"/go/{token}").headers["Location"] == target["p"]
    other = clients["mentor_b"].get(f"/go/{token}", follow_redirects=True).get_data(as_text=True)
    assert "다른 사용자에게 보낸 링크입니다" in other
    anonymous = web_app.test_client().get(f"/go/{token}")
    assert "/login?next=" in anonymous.headers["Location"]
    forged = web_app.test_client().get(f"/go/{token[:-2]}xx", follow_redirects=True)
    assert "유효하지 않은 링크입니다" in forged.get_data(as_text=True)
    page = mentor.get("/notifications").get_data(as_text=True)
    assert "방문 확정: 회사A" in page and 'href="/mentor/schedule?week=' in page


def test_a_link_expires_and_serves_one_purpose(web_app):
    with web_app.app_context():
        url = signed_url(3, "/company/")
        token = url.rsplit("/", 1)[1]
        assert read_link(token)["u"] == 3
        with pytest.raises(ValueError, match="expired"):
            read_link(token, max_age=-1)
        with pytest.raises(ValueError, match="invalid"):
            read_link(token, purpose="set-password")


def test_reminders_go_the_day_before_and_on_the_morning_exactly_once(web_app, world):
    engine = web_app.extensions["engine"]
    visit_day = datetime.now(SEOUL).date() + timedelta(days=20)
    at = lambda day, hour, minute=0: datetime.combine(day, time(hour, minute), SEOUL)  # noqa: E731
    # (the world's own visits are three days from the real today, far from these dates)
    slot = add_visit(
        web_app,
        world.mentors[1],
        world.companies[2],
        at(visit_day, 10).astimezone(UTC),
        state="confirmed",
    )
    day_before_8am = at(visit_day - timedelta(days=1), 8)
    assert send_reminders(engine, day_before_8am) == 0  # not before 09:00
    day_before = at(visit_day - timedelta(days=1), 9, 30)
    assert send_reminders(engine, day_before) == 2  # mentor and company
    assert send_reminders(engine, day_before + timedelta(minutes=1)) == 0
    morning = at(visit_day, 7, 5)
    assert send_reminders(engine, morning) == 2
    for minutes in (1, 30, 60):
        assert send_reminders(engine, morning + timedelta(minutes=minutes)) == 0
    with Session(engine) as s:
        sent = s.exec(
            select(Notification.code, Notification.to_address).where(Notification.key.like(f"%:{slot}:%"))
        ).all()
    assert sorted(sent) == sorted(
        [
            (kind, who)
            for kind in ("reminder_day_before", "reminder_morning")
            for who in ("mb@m.kr", "company_c@x.kr")
        ]
    )


def test_the_paths_in_messages_are_the_apps_routes(web_app):
    with web_app.test_request_context():
        from flask import url_for

        assert pages.company_page() == url_for("company.home")
        assert pages.mentor_week(datetime(2026, 12, 2, tzinfo=UTC)) == url_for(
            "mentor.schedule", week="2026-11-30"
        )
        assert pages.desk_attention() == url_for("coordinator.visits_desk", _anchor="attention")
