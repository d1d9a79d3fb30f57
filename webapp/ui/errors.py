"""Friendly error pages, and JSON errors under /api/."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you sent.")),
    401: (_l("Sign-in needed"), _l("Please sign in first.")),
    403: (_l("Not allowed"), _l("Your account may not open this page.")),
    404: (_l("Not found"), _l("There is nothing here, or it is not yours to see.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    409: (_l("Conflict"), _l("This clashes with the current state. Reload the page and try again.")),
    413: (_l("Too large"), _l("The file is too large.")),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts in a short time. Please wait a minute and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error happened; nothing was saved. Please try again."),
    ),
    503: (
        _l("Database unavailable"),
        _l("The database cannot be reached right now; nothing was saved. Please try again in a minute."),
    ),
}
READ_ONLY_DETAIL = _l(
    "The database is read-only at the moment (maintenance): pages can be viewed, but changes cannot be saved."
)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, (str(code), ""))
    if _wants_json():  # API clients get English, whatever the browser's language cookie says
        with force_locale("en"):
            return jsonify(error=str(title), message=detail or str(message)), code
    return render_template("ui/error.html", code=code, title=title, message=message, detail=detail), code


def _http_error(exc: HTTPException):
    if exc.code is None or exc.code < 400:
        return exc
    # Show a description only when the code gave one, not Werkzeug's generic English text.
    explicit = exc.description if exc.description != type(exc).description else None
    body, code = render_error(exc.code, explicit)
    response = make_response(body, code)
    # keep what the exception says in its headers: Allow on a 405, WWW-Authenticate on a 401
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    # Flask routes any unhandled exception here (outside testing, where it propagates).
    app.register_error_handler(InternalServerError, lambda exc: render_error(500))
