"""Serving the app for real on loopback, in its own process, for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log_path.read_text()}")
            try:
                urllib.request.urlopen(f"{base}/login", timeout=2)
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
