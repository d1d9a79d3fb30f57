"""CSRF protection: every form needs the token; the token-authenticated API does not."""

import re

import pytest

from tests.support.web import PASSWORD
from webapp import create_app


@pytest.fixture
def csrf_app(db_url, world):
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "test"})
    yield app
    app.extensions["engine"].dispose()


def _token(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_forms_without_the_token_are_rejected(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": "coord@x.kr", "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    token = _token(client.get("/login"))
    signed_in = client.post("/login", data={"email": "coord@x.kr", "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 302
    for path, data in (
        ("/coordinator/runs", {"max_distance_km": "80"}),
        ("/logout", {}),
        ("/account/token", {}),
        ("/coordinator/companies/1/deactivate", {}),
    ):
        assert client.post(path, data=data).status_code == 400, path
    assert client.get("/coordinator/").status_code == 200  # still signed in


def test_the_api_is_exempt_and_ignores_the_session_cookie(csrf_app):
    client = csrf_app.test_client()
    token = _token(client.get("/login"))
    client.post("/login", data={"email": "coord@x.kr", "password": PASSWORD, "csrf_token": token})
    # A signed-in browser session is not an API credential, so a forged cross-site request gets 401.
    assert client.post("/api/v1/runs", json={}).status_code == 401


def test_visit_and_calendar_forms_need_the_token(csrf_app, world):
    client = csrf_app.test_client()
    token = _token(client.get("/login"))
    client.post("/login", data={"email": "company_a@x.kr", "password": PASSWORD, "csrf_token": token})
    for path, data in (
        (f"/visits/{world.slots[1]}/confirm", {}),
        ("/visits/decline", {"note": "x"}),
        (f"/visits/{world.slots[0]}/cancel", {"reason": "x"}),
        ("/calendar/regenerate", {}),
        ("/calendar/stop", {}),
    ):
        assert client.post(path, data=data).status_code == 400, path
    token = _token(client.get("/company/"))
    assert client.post(f"/visits/{world.slots[1]}/confirm", data={"csrf_token": token}).status_code == 302


def test_schedule_forms_need_the_token(csrf_app):
    client = csrf_app.test_client()
    token = _token(client.get("/login"))
    client.post("/login", data={"email": "coord@x.kr", "password": PASSWORD, "csrf_token": token})
    for path, data in (
        ("/coordinator/schedule", {"weekday": "1", "at": "10:00"}),
        ("/coordinator/schedule/pause", {"paused": "1"}),
    ):
        assert client.post(path, data=data).status_code == 400, path
