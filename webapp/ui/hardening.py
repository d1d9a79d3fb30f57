"""Security hardening: sign-in rate limiting, security headers, database-outage pages.

The login limit (webapp.extensions.limiter) is counted in RATELIMIT_STORAGE_URI: memory:// by
default (one process), a Redis server in production (`make serve-prod`) so that the limit holds
across gunicorn workers.
"""

from __future__ import annotations

import logging

from flask import Flask, g
from flask.json.provider import DefaultJSONProvider
from flask_login import AnonymousUserMixin
from sqlalchemy.exc import DBAPIError, OperationalError

from webapp.extensions import limiter
from webapp.ui.errors import READ_ONLY_DETAIL, render_error

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # style attributes on map legends
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
READ_ONLY_MARKERS = ("readonly database", "read-only transaction", "read only")


def _add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _database_error(exc: DBAPIError):
    """A database that is down, restarting or read-only gives a clear 503, not a crash page."""
    text = str(exc.orig).lower()
    read_only = any(marker in text for marker in READ_ONLY_MARKERS)
    if not (read_only or exc.connection_invalidated or isinstance(exc, OperationalError)):
        raise exc
    log.error("Database unavailable: %s", exc.orig)
    # The page must not need the database: render it for an anonymous visitor.
    g._login_user = AnonymousUserMixin()
    return render_error(503, str(READ_ONLY_DETAIL) if read_only else None)


class BoundedJSONProvider(DefaultJSONProvider):
    """JSON nested deeper than the parser's recursion can take is a malformed body (400), not a
    RecursionError (500): request.get_json treats a ValueError as undecodable JSON."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None


def init_app(app: Flask) -> None:
    app.json = BoundedJSONProvider(app)
    # Test suites sign in many users from one address; tests of the limit switch it on.
    app.config.setdefault("RATELIMIT_ENABLED", not app.testing)
    limiter.init_app(app)
    app.after_request(_add_security_headers)
    app.register_error_handler(DBAPIError, _database_error)
