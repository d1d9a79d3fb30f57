"""One database session per request; anything not committed by the view is rolled back."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlmodel import Session


def db() -> Session:
    if "db_session" not in g:
        g.db_session = Session(current_app.extensions["engine"], expire_on_commit=False)
    return g.db_session


def _close(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()  # rolls back an unfinished transaction: nothing half-saved


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
