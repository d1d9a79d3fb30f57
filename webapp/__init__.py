"""Flask web app of the mentoring program (app factory)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from webapp.core import registry  # noqa: F401  (every domain's tables on the metadata)
from webapp.core.db import database_url, make_engine
from webapp.core.ids import IdConverter


def _secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _register_page_modules() -> None:
    """Import the modules that add pages to the coordinator's area (their routes register)."""
    from webapp.accounts import logins  # noqa: F401
    from webapp.directory import import_views, views  # noqa: F401
    from webapp.matching import dashboard, schedule_views  # noqa: F401
    from webapp.matching import views as run_views  # noqa: F401


def translation_directories() -> list[Path]:
    """The shared catalog and every domain package's own (webapp/<package>/translations)."""
    root = Path(__file__).parent
    return [root / "translations", *sorted(root.glob("*/translations"))]


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE_URL=database_url(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SESSION_COOKIE_SECURE") == "1",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,  # spreadsheets for import
        BABEL_DEFAULT_LOCALE="ko",
        BABEL_TRANSLATION_DIRECTORIES=";".join(str(d) for d in translation_directories()),
    )
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)
    app.extensions["engine"] = make_engine(app.config["DATABASE_URL"])
    app.url_map.converters["id"] = IdConverter

    from webapp.accounts import home
    from webapp.accounts import views as auth
    from webapp.accounts.areas import coordinator_bp
    from webapp.api import bp as api_bp
    from webapp.core import request_db
    from webapp.directory import mentor_views
    from webapp.ops import cli
    from webapp.programs import blueprints as program_blueprints
    from webapp.ui import errors, hardening, i18n, templating
    from webapp.visits import calendar_views, company_views
    from webapp.visits import views as visit_views

    _register_page_modules()

    cli.register(app)
    request_db.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    hardening.init_app(app)
    for blueprint in (
        home.bp,
        auth.bp,
        i18n.bp,
        coordinator_bp,
        mentor_views.bp,
        company_views.bp,
        visit_views.bp,
        calendar_views.bp,
        api_bp,
        *program_blueprints(),
    ):
        app.register_blueprint(blueprint)
    auth.csrf.exempt(api_bp)  # the API authenticates by bearer token, never by cookie
    return app
