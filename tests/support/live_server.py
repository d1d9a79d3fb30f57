"""Serving the app for real on loopback, in its own process, for end-to-end tests."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

from tests.support.web import PASSWORD


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(db_url: str, log_path: Path, *, workers: int = 0, extra_env: dict | None = None) -> Iterator[str]:
    """Yield the base URL of the app served on `db_url`: Flask's threaded server, or gunicorn
    with `workers` processes when workers > 0."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY="live-test", **(extra_env or {}))
    if workers:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "webapp:create_app()",
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "webapp",
            "run",
            "--port",
            str(port),
            "--no-reload",
            "--with-threads",
        ]
    log = log_path.open("w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        # Generous: the first request imports the app (solvers, PDF) in every worker, which on a
        # busy 2-core machine takes tens of seconds. A readiness wait, not a timing check.
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log_path.read_text()}")
            try:
                urllib.request.urlopen(f"{base}/login", timeout=10)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {log_path.read_text()}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # let the test see the 302 itself


class Browser:
    """A cookie-keeping HTTP client that signs in through the login form, as a person would."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def csrf(self, path: str) -> str:
        status, page = self.request(path)
        assert status == 200, page
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def sign_in(self, email: str) -> None:
        self.request("/lang/en")
        status, page = self.request(
            "/login", {"email": email, "password": PASSWORD, "csrf_token": self.csrf("/login")}
        )
        assert status == 302, page
