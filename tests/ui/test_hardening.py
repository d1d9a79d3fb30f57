"""Security hardening: headers, sign-in rate limit, fresh session, upload limit, database outages."""

import http.cookiejar
import io
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.support.live_server import free_port, serve
from webapp import create_app
from webapp.accounts.models import User
from webapp.accounts.service import create_user
from webapp.core.db import session_scope

PASSWORD = "pass-word-1"


@pytest.fixture
def hardened(db_url):
    def make(**config):
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": db_url,
                "SECRET_KEY": "test",
                "WTF_CSRF_ENABLED": False,
                **config,
            }
        )
        with session_scope(app.extensions["engine"]) as session:
            if session.get(User, 1) is None:
                create_user(session, email="coord@x.kr", password=PASSWORD, role="coordinator")
        return app

    return make


def _login(client, password=PASSWORD):
    return client.post("/login", data={"email": "coord@x.kr", "password": password})


def test_security_headers_on_every_page(hardened):
    client = hardened().test_client()
    for path in ("/login", "/no-such-page"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"


def test_sign_in_attempts_are_rate_limited(hardened):
    client = hardened(
        RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", RATELIMIT_KEY_PREFIX=os.urandom(4).hex()
    ).test_client()
    codes = [_login(client, "wrong-pass-1").status_code for _ in range(3)]
    assert codes == [200, 200, 200]  # the form again, with "wrong password"
    blocked = _login(client)  # even the right password waits now
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True) or "시도" in blocked.get_data(as_text=True)
    assert client.get("/login").status_code == 200  # only sign-in POSTs are limited


def test_sign_in_starts_a_fresh_session(hardened):
    client = hardened().test_client()
    with client.session_transaction() as before:
        before["planted"] = "by someone else"
    assert _login(client).status_code == 302
    with client.session_transaction() as after:
        assert "planted" not in after and after.get("_user_id")


def test_uploads_over_the_size_limit_are_refused(hardened):
    client = hardened(MAX_CONTENT_LENGTH=1024).test_client()
    _login(client)
    response = client.post(
        "/coordinator/import",
        data={"kind": "companies", "file": (io.BytesIO(b"x" * 5000), "big.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


def test_unreachable_database_gives_a_clear_error_page(db_url):
    closed = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nothing"
    app = create_app({"TESTING": True, "DATABASE_URL": closed, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False})
    response = app.test_client().post("/login", data={"email": "a@b.kr", "password": "x"})
    assert response.status_code == 503
    assert "Database unavailable" in response.get_data(as_text=True) or "데이터베이스" in response.get_data(
        as_text=True
    )


def test_read_only_database_gives_a_clear_error_page_and_keeps_data(hardened, db_url):
    hardened()  # creates the user
    path = db_url.removeprefix("sqlite:///")
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    app = create_app(
        {"TESTING": True, "DATABASE_URL": read_only, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False}
    )
    client = app.test_client()
    assert _login(client).status_code == 302  # reading works
    response = client.post(
        "/account/password", data={"current": PASSWORD, "new": "new-pass-2", "again": "new-pass-2"}
    )
    assert response.status_code == 503
    assert "read-only" in response.get_data(as_text=True) or "읽기 전용" in response.get_data(as_text=True)


@pytest.fixture
def redis_url(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (make test installs it)")
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def _attempt(base: str) -> int:
    """One sign-in attempt from a new browser (own cookies, own connection)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": "coord@x.kr", "password": "wrong-pass-1"})
    try:
        return opener.open(f"{base}/login", data=form.encode(), timeout=10).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_sign_in_limit_holds_across_gunicorn_workers_with_redis(hardened, db_url, redis_url, tmp_path):
    hardened()  # creates the user
    env = {"RATELIMIT_STORAGE_URI": redis_url, "LOGIN_RATE_LIMIT": "4 per minute"}
    with serve(db_url, tmp_path / "gunicorn.log", workers=3, extra_env=env) as base:
        codes = [_attempt(base) for _ in range(10)]
    assert codes[:4] == [200] * 4 and codes[4:] == [429] * 6, codes
