"""Signed links in emails: one tap opens the right page of the app.

A link is signed (itsdangerous) for one user and one purpose, and expires: it carries the app
path it opens and the user it was written for. Opening it signs nobody in; it leads to the
page, through the sign-in page when needed, and refuses a link meant for another user.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from webapp import config

OPEN_PAGE = "open-page"
LINK_MAX_AGE = 14 * 24 * 3600


def _settings() -> tuple[str, str]:
    if has_app_context():
        return current_app.config["SECRET_KEY"], current_app.config["PUBLIC_URL"]
    return config.secret_key(str(config.INSTANCE_DIR)), config.public_url()


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_settings()[0], salt=f"jbsf-link:{purpose}")


def absolute(path: str) -> str:
    return _settings()[1].rstrip("/") + path


def signed_url(user_id: int, path: str, purpose: str = OPEN_PAGE) -> str:
    """The absolute URL of a link for `user_id` that opens `path`."""
    token = _serializer(purpose).dumps({"u": user_id, "p": path})
    return absolute(f"/go/{token}")


class LinkError(ValueError):
    """The link is invalid (code "invalid") or too old (code "expired")."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def read_link(token: str, purpose: str = OPEN_PAGE, max_age: int = LINK_MAX_AGE) -> dict[str, Any]:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkError("expired") from None
    except BadSignature:
        raise LinkError("invalid") from None
    if not isinstance(data, dict) or not str(data.get("p", "")).startswith("/"):
        raise LinkError("invalid")
    return data
