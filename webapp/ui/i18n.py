"""Korean (default) and English: the locale choice, its switch, and locale-aware names."""

from __future__ import annotations

from flask import Blueprint, Flask, has_request_context, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlmodel import update

from webapp.accounts.models import User
from webapp.core.request_db import db
from webapp.extensions import babel
from webapp.ui.urls import safe_next

LOCALES = ("ko", "en")
COOKIE = "lang"
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The page's language: the cookie's, else Korean. The JSON API and the command line speak
    English, as the API's contract does."""
    if not has_request_context() or request.path.startswith("/api/"):
        return "en"
    chosen = request.cookies.get(COOKIE)
    return chosen if chosen in LOCALES else LOCALES[0]


def current_language() -> str:
    return str(get_locale())


def local_name(record) -> str:
    """A municipality's or an industry's name in the current language."""
    if record is None:
        return ""
    return record.name_ko if str(get_locale()) == "ko" else record.name_en


@bp.get("/lang/<code>")
def switch(code: str):
    response = redirect(safe_next(request.args.get("next"), url_for("home.index")))
    if code in LOCALES:
        response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
        if current_user.is_authenticated:  # emails and calendar entries follow the choice
            db().exec(update(User).where(User.id == current_user.id).values(language=code))
            db().commit()
    return response


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["local"] = local_name
    app.jinja_env.globals["LOCALES"] = LOCALES
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
