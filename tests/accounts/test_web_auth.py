"""Sign-in, sign-out, password change, roles and the session cookie."""

from sqlmodel import Session, select

from tests.support.web import PASSWORD, sign_in
from webapp.accounts.models import User
from webapp.accounts.passwords import verify_password


def test_anonymous_users_are_sent_to_sign_in(web_app):
    client = web_app.test_client()
    assert client.get("/").headers["Location"].endswith("/login")
    response = client.get("/coordinator/companies")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_sign_in_lands_on_the_role_start_page_and_sets_a_safe_cookie(web_app, world):
    client = web_app.test_client()
    response = client.post("/login", data={"email": "MENTOR_A@x.kr ", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/").headers["Location"].endswith("/mentor/")
    assert client.get("/mentor/").status_code == 200


def test_wrong_password_and_unknown_email_give_the_same_answer(web_app, world):
    client = web_app.test_client()
    for email, password in (("coord@x.kr", "wrong-pass-1"), ("nobody@x.kr", PASSWORD)):
        page = client.post("/login", data={"email": email, "password": password})
        assert page.status_code == 200
        assert "이메일 또는 비밀번호가 틀렸습니다" in page.get_data(as_text=True)


def test_next_only_follows_local_paths(web_app, world):
    client = web_app.test_client()
    data = {"email": "coord@x.kr", "password": PASSWORD}
    assert client.post("/login?next=//evil.example/x", data=data).headers["Location"] == "/"
    client.post("/logout")
    assert (
        client.post("/login?next=/coordinator/mentors", data=data).headers["Location"]
        == "/coordinator/mentors"
    )


def test_sign_out(clients):
    client = clients["coordinator"]
    assert client.post("/logout").status_code == 302
    assert client.get("/coordinator/").status_code == 302


def test_inactive_users_cannot_sign_in(web_app, world):
    with Session(web_app.extensions["engine"]) as s:
        user = s.exec(select(User).where(User.email == "coord@x.kr")).one()
        user.active = False
        s.add(user)
        s.commit()
    client = web_app.test_client()
    assert client.post("/login", data={"email": "coord@x.kr", "password": PASSWORD}).status_code == 200


def test_password_change_checks_each_field_then_signs_out_other_sessions(web_app, world, clients):
    client = clients["mentor_a"]
    other = sign_in(web_app, "mentor_a@x.kr")
    bad = client.post("/account/password", data={"current": "nope-nope-1", "new": "short", "again": "x"})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert 'id="current-error"' in text and 'id="new-error"' in text
    mismatch = client.post(
        "/account/password", data={"current": PASSWORD, "new": "new-pass-22", "again": "other-pass-22"}
    )
    assert 'id="again-error"' in mismatch.get_data(as_text=True)
    ok = client.post(
        "/account/password", data={"current": PASSWORD, "new": "new-pass-22", "again": "new-pass-22"}
    )
    assert ok.status_code == 302
    with Session(web_app.extensions["engine"]) as s:
        user = s.exec(select(User).where(User.email == "mentor_a@x.kr")).one()
        assert verify_password(user.password_hash, "new-pass-22")
    assert client.get("/mentor/").status_code == 200  # this session continues
    assert other.get("/mentor/").status_code == 302  # the other one is signed out


def test_each_role_is_kept_out_of_the_others_areas(clients):
    areas = {"coordinator": "/coordinator/", "mentor_a": "/mentor/", "company_a": "/company/"}
    for who in clients.users:
        client = clients[who]
        for owner, path in areas.items():
            allowed = who == owner or (who.split("_")[0] == owner.split("_")[0])
            assert client.get(path).status_code == (200 if allowed else 403), (who, path)
