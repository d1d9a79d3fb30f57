"""Helpers of the web tests: the world's password, business numbers, signed-in clients."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from webapp.accounts.passwords import hash_password
from webapp.directory.importing.brn import check_digit

PASSWORD = "pass-word-1"
PASSWORD_HASH = hash_password(PASSWORD)


def brn(n: int) -> str:
    first = f"{100 + n:03d}81{n:04d}"
    return first + str(check_digit(first))


def sign_in(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


class Clients(dict):
    """Signed-in test clients by user key (coordinator, mentor_a, ...), signed in on first use."""

    def __init__(self, app, users):
        super().__init__()
        self.app, self.users = app, users

    def __missing__(self, key):
        self[key] = sign_in(self.app, self.users[key])
        return self[key]


def count(app, model) -> int:
    with Session(app.extensions["engine"]) as s:
        return len(s.exec(select(model)).all())


def api(app, token: str | None):
    """A test client whose requests carry `token` as a bearer token."""
    client = app.test_client()
    if token:
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def approve(client, run_id, **kwargs):
    """Approve a run as a coordinator does: open the confirmation page, press its button."""
    page = client.get(f"/coordinator/runs/{run_id}/approve").get_data(as_text=True)
    basis = re.search(r'name="basis" value="(\d+)"', page)
    assert basis, page
    return client.post(f"/coordinator/runs/{run_id}/approve", data={"basis": basis[1]}, **kwargs)


def calendar_address(client) -> str:
    """Make the signed-in mentor's or company's calendar address (a new one if it has one) and
    return its path, read from the page shown next: the only page that shows it."""
    page = client.post("/calendar/regenerate", follow_redirects=True).get_data(as_text=True)
    return re.search(r'value="http://localhost(/calendar/[^"]+\.ics)"', page)[1]
