"""Sessions, tokens and feeds end on the server: a copied cookie, an API token or a calendar link
stops working when the user signs out, gets a new temporary password or has the login switched
off. And `?next=` never leads off the site, however the path is disguised."""

import pytest
from sqlmodel import Session, select

from tests.support.web import PASSWORD, api, calendar_address, sign_in
from webapp.accounts.models import User
from webapp.accounts.security import hash_token


def _copy_of(client, app):
    """Another browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    thief.set_cookie(cookie.key, cookie.value)
    return thief


def _give_token(app, email: str, token: str) -> None:
    with Session(app.extensions["engine"]) as s:
        user = s.exec(select(User).where(User.email == email)).one()
        user.api_token_hash = hash_token(token)
        s.add(user)
        s.commit()


def test_a_cookie_copied_before_sign_out_does_not_open_pages_after(web_app, world):
    mentor = sign_in(web_app, world.users["mentor_a"])
    copy = _copy_of(mentor, web_app)
    assert copy.get("/mentor/").status_code == 200
    assert mentor.post("/logout").status_code == 302
    assert copy.get("/mentor/").status_code == 302  # back to sign-in
    again = sign_in(web_app, world.users["mentor_a"])  # signing in again works
    assert again.get("/mentor/").status_code == 200


def test_a_password_change_ends_copies_of_the_session_but_not_the_session_itself(web_app, world):
    company = sign_in(web_app, world.users["company_a"])
    copy = _copy_of(company, web_app)
    new = "another-pass-2"
    changed = company.post("/account/password", data={"current": PASSWORD, "new": new, "again": new})
    assert changed.status_code == 302
    assert company.get("/company/").status_code == 200
    assert copy.get("/company/").status_code == 302


def test_a_new_temporary_password_revokes_the_api_token(web_app, clients, world):
    _give_token(web_app, world.users["company_a"], "jbsf_company_a_token")
    assert api(web_app, "jbsf_company_a_token").get("/api/v1/me").status_code == 200
    reset = clients["coordinator"].post(f"/coordinator/companies/{world.companies[0]}/login/password")
    assert reset.status_code == 302  # back to the record page (redirect after post)
    assert api(web_app, "jbsf_company_a_token").get("/api/v1/me").status_code == 401


def test_switching_a_login_off_ends_its_calendar_feed_for_good(web_app, clients, world):
    feed = calendar_address(clients["mentor_b"])
    _give_token(web_app, world.users["mentor_b"], "jbsf_mentor_b_token")
    anonymous = web_app.test_client()
    assert anonymous.get(feed).status_code == 200
    switch = f"/coordinator/mentors/{world.mentors[1]}/login/active"
    assert clients["coordinator"].post(switch, data={"active": "no"}).status_code == 302
    assert anonymous.get(feed).status_code == 404
    assert api(web_app, "jbsf_mentor_b_token").get("/api/v1/me").status_code == 401
    clients["coordinator"].post(switch, data={"active": "yes"})
    assert anonymous.get(feed).status_code == 404  # the old link stays dead; the mentor gets a new one
    assert calendar_address(sign_in(web_app, world.users["mentor_b"])) != feed


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/x",
        "/%0a/evil.example/x",
        "/%0d/evil.example/x",
        "/%0d/x",
        "/%00/x",
        "/%5c/evil.example",
        "/\\evil.example",
        "//evil.example/x",
        "/%2f/evil.example",
        "https://evil.example/x",
        "%09/evil.example",
        "/%e3%80%80/evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_never_leads_off_the_site(web_app, world, target):
    client = web_app.test_client()
    switched = client.get(f"/lang/ko?next={target}")
    assert switched.status_code == 302 and switched.headers["Location"] == "/"
    signed_in = client.post(f"/login?next={target}", data={"email": "coord@x.kr", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"


def test_next_keeps_a_local_path_with_its_query(web_app, world):
    client = web_app.test_client()
    target = "/coordinator/companies?q=%ED%95%9C%EB%B9%9B&page=2"
    assert client.get(f"/lang/en?next={target.replace('&', '%26')}").headers["Location"] == target
