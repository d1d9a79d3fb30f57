"""The coordinator creates, resets and switches mentor and company logins from their pages."""

import re
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from tests.support.mail import link, stored_text, waiting_text
from tests.support.web import PASSWORD, count, sign_in
from webapp.accounts.models import Invitation, User
from webapp.core.clock import aware
from webapp.core.models import AuditLog, OutboxEmail
from webapp.core.notifications import send_pending
from webapp.directory.models import Mentor


def text(response) -> str:
    return response.get_data(as_text=True)


def shown_password(page: str) -> str:
    match = re.search(r'<code class="token">([^<]+)</code>', page)
    assert match, "no temporary password on the page"
    return match.group(1)


def new_mentor(web_app, email="new@m.kr") -> int:
    with Session(web_app.extensions["engine"]) as s:
        any_mentor = s.exec(select(Mentor)).first()
        mentor = Mentor(
            name="새멘토",
            email=email,
            municipality_id=any_mentor.municipality_id,
            lat=any_mentor.lat,
            lon=any_mentor.lon,
            capacity=2,
        )
        s.add(mentor)
        s.commit()
        return mentor.id


def can_sign_in(web_app, email, password) -> bool:
    response = web_app.test_client().post("/login", data={"email": email, "password": password})
    return response.status_code == 302


def invitation_link(web_app, email) -> str:
    return link(waiting_text(web_app.extensions["engine"], email), "/invitation/")


def test_creating_a_login_sends_an_invitation_and_a_reload_repeats_nothing(
    web_app, clients, world, smtp_server
):
    client = clients["coordinator"]
    mentor_id = new_mentor(web_app)
    page = text(client.get(f"/coordinator/mentors/{mentor_id}"))
    assert "로그인 계정 만들기" in page and 'value="new@m.kr"' in page  # the mentor's email is offered
    created = client.post(f"/coordinator/mentors/{mentor_id}/login", data={"email": "New@M.kr "})
    assert created.status_code == 302 and created.headers["Location"].endswith(
        f"/coordinator/mentors/{mentor_id}#login"
    )
    shown = text(client.get(created.headers["Location"]))
    assert "new@m.kr" in shown and "초대" in shown and '<code class="token">' not in shown
    with Session(web_app.extensions["engine"]) as s:
        user = s.exec(select(User).where(User.email == "new@m.kr")).one()
        assert (user.role, user.mentor_id, user.display_name, user.must_change_password) == (
            "mentor",
            mentor_id,
            "새멘토",
            True,
        )
        mail = s.exec(select(OutboxEmail).where(OutboxEmail.to_address == "new@m.kr")).one()
        assert "비밀번호" in mail.subject + mail.body and "/invitation/" in mail.html
        token = mail.secret  # kept apart from the stored text until the email is sent
        assert token and token not in mail.body + mail.html
    inbox, config = smtp_server
    assert send_pending(web_app.extensions["engine"], config) == (1, 0)
    mailed, html = inbox.received("new@m.kr")
    invitation = link(mailed, "/invitation/")
    assert invitation == f"/invitation/{token}" and link(html, "/invitation/") == invitation
    assert token not in stored_text(web_app.extensions["engine"])  # sent: the outbox forgot it

    newcomer = web_app.test_client()
    assert "새멘토" in text(newcomer.get(invitation))
    short = newcomer.post(invitation, data={"new": "short", "again": "short"})
    assert short.status_code == 400 and "8자 이상" in text(short)
    welcome = newcomer.post(invitation, data={"new": "my-own-pass1", "again": "my-own-pass1"})
    assert welcome.status_code == 302 and newcomer.get("/mentor/").status_code == 200
    assert can_sign_in(web_app, "new@m.kr", "my-own-pass1")
    assert web_app.test_client().get(invitation).status_code == 410  # one use only
    assert (
        web_app.test_client()
        .post(invitation, data={"new": "other-pass1", "again": "other-pass1"})
        .status_code
        == 410
    )


def test_an_invitation_expires_after_72_hours_and_can_be_sent_again(web_app, clients, world):
    client = clients["coordinator"]
    mentor_id = new_mentor(web_app)
    client.post(f"/coordinator/mentors/{mentor_id}/login", data={"email": "new@m.kr"})
    first = invitation_link(web_app, "new@m.kr")
    with Session(web_app.extensions["engine"]) as s:
        invitation = s.exec(select(Invitation)).one()
        assert aware(invitation.expires_at) - aware(invitation.created_at) == timedelta(hours=72)
        invitation.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        s.add(invitation)
        s.commit()
    assert "만료" in text(web_app.test_client().get(first))
    again = client.post(f"/coordinator/mentors/{mentor_id}/login/invitation")
    assert again.status_code == 302
    second = invitation_link(web_app, "new@m.kr")
    assert second != first and web_app.test_client().get(second).status_code == 200


def test_a_temporary_password_must_be_changed_at_first_sign_in(web_app, clients, world):
    email = world.users["company_a"]
    session_before = sign_in(web_app, email)
    assert session_before.get("/company/").status_code == 200
    reset = clients["coordinator"].post(f"/coordinator/companies/{world.companies[0]}/login/password")
    assert reset.status_code == 302  # redirect after post: a reload makes no new password
    page = text(clients["coordinator"].get(reset.headers["Location"]))
    password = shown_password(page)
    assert password not in text(clients["coordinator"].get(reset.headers["Location"]))  # shown once
    assert not can_sign_in(web_app, email, PASSWORD)
    assert session_before.get("/company/").status_code == 302  # signed out: back to the login page
    user = web_app.test_client()
    user.post("/login", data={"email": email, "password": password})
    forced = user.get("/company/")
    assert forced.status_code == 302 and forced.headers["Location"].endswith("/account")
    assert "임시 비밀번호" in text(user.get("/account"))
    user.post("/account/password", data={"current": password, "new": "mine-2026!", "again": "mine-2026!"})
    assert user.get("/company/").status_code == 200


def test_logins_for_every_imported_mentor_at_once(web_app, clients, world):
    first, second = new_mentor(web_app, "one@m.kr"), new_mentor(web_app, "two@m.kr")
    before = count(web_app, User)
    response = clients["coordinator"].post("/coordinator/mentors/logins")
    assert response.status_code == 302
    assert count(web_app, User) == before + 2
    with Session(web_app.extensions["engine"]) as s:
        invited = s.exec(
            select(OutboxEmail.to_address).where(OutboxEmail.html.contains("/invitation/"))
        ).all()
        assert sorted(invited) == ["one@m.kr", "two@m.kr"]
        assert {
            u.mentor_id for u in s.exec(select(User).where(User.email.in_(["one@m.kr", "two@m.kr"])))
        } == {first, second}
    clients["coordinator"].post("/coordinator/mentors/logins")
    assert count(web_app, User) == before + 2  # nobody twice


def test_bad_or_taken_emails_create_nothing(web_app, clients, world):
    client = clients["coordinator"]
    mentor_id = new_mentor(web_app)
    before = count(web_app, User)
    bad = client.post(f"/coordinator/mentors/{mentor_id}/login", data={"email": "not-an-email"})
    assert bad.status_code == 400 and "이메일 주소가 아닙니다." in text(bad)
    assert 'value="not-an-email"' in text(bad)  # what was typed is kept
    taken = client.post(f"/coordinator/mentors/{mentor_id}/login", data={"email": world.users["coordinator"]})
    assert taken.status_code == 400 and "다른 사용자가 이미 이 이메일로 로그인합니다." in text(taken)
    twice = client.post(f"/coordinator/companies/{world.companies[0]}/login", data={"email": "x@y.kr"})
    assert twice.status_code == 400 and "이미 로그인 계정이 있습니다." in text(twice)
    assert count(web_app, User) == before


def test_switching_a_login_off_and_on(web_app, clients, world):
    client = clients["coordinator"]
    email = world.users["mentor_b"]
    url = f"/coordinator/mentors/{world.mentors[1]}/login/active"
    assert client.post(url, data={"active": "no"}).status_code == 302
    assert not can_sign_in(web_app, email, PASSWORD)
    assert "꺼짐" in text(client.get(f"/coordinator/mentors/{world.mentors[1]}"))
    client.post(url, data={"active": "yes"})
    assert can_sign_in(web_app, email, PASSWORD)
    with Session(web_app.extensions["engine"]) as s:
        actions = [a.action for a in s.exec(select(AuditLog).order_by(AuditLog.id))]
    assert actions[-2:] == ["login_switched_off", "login_switched_on"]


def test_only_coordinators_manage_logins(web_app, clients, world):
    for role in ("mentor_a", "company_a"):
        client = clients[role]
        assert client.post(f"/coordinator/mentors/{world.mentors[0]}/login/password").status_code == 403
        assert (
            client.post(
                f"/coordinator/mentors/{world.mentors[0]}/login/active", data={"active": "no"}
            ).status_code
            == 403
        )
    assert can_sign_in(web_app, world.users["mentor_a"], PASSWORD)
    missing = clients["coordinator"].post(f"/coordinator/mentors/{new_mentor(web_app)}/login/password")
    assert missing.status_code == 302  # no login yet: back to the page with a message
