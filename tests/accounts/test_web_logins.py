"""The coordinator creates, resets and switches mentor and company logins from their pages."""

import re

from sqlmodel import Session, select

from tests.support.web import PASSWORD, count, sign_in
from webapp.accounts.models import User
from webapp.core.models import AuditLog
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


def test_create_a_mentor_login_shows_a_temporary_password_once(web_app, clients, world):
    client = clients["coordinator"]
    mentor_id = new_mentor(web_app)
    page = text(client.get(f"/coordinator/mentors/{mentor_id}"))
    assert "로그인 계정 만들기" in page and 'value="new@m.kr"' in page  # the mentor's email is offered
    created = client.post(f"/coordinator/mentors/{mentor_id}/login", data={"email": "New@M.kr "})
    assert created.status_code == 200
    password = shown_password(text(created))
    assert can_sign_in(web_app, "new@m.kr", password)
    with Session(web_app.extensions["engine"]) as s:
        user = s.exec(select(User).where(User.email == "new@m.kr")).one()
        assert (user.role, user.mentor_id, user.display_name) == ("mentor", mentor_id, "새멘토")
        assert s.exec(select(AuditLog).where(AuditLog.action == "login_created")).one().entity_id == str(
            user.id
        )
    again = text(client.get(f"/coordinator/mentors/{mentor_id}"))
    assert password not in again and "new@m.kr" in again and "켜짐" in again
    mentor = web_app.test_client()
    mentor.post("/login", data={"email": "new@m.kr", "password": password})
    assert mentor.get("/mentor/").status_code == 200


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


def test_new_temporary_password_ends_the_old_one_and_open_sessions(web_app, clients, world):
    email = world.users["company_a"]
    session_before = sign_in(web_app, email)
    assert session_before.get("/company/").status_code == 200
    reset = clients["coordinator"].post(f"/coordinator/companies/{world.companies[0]}/login/password")
    assert reset.status_code == 200
    password = shown_password(text(reset))
    assert not can_sign_in(web_app, email, PASSWORD)
    assert can_sign_in(web_app, email, password)
    assert session_before.get("/company/").status_code == 302  # signed out: back to the login page


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
