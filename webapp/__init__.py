"""Flask web app of the mentoring program (app factory)."""

from __future__ import annotations

from flask import Flask

from webapp import config
from webapp.core import registry  # noqa: F401  (every domain's tables on the metadata)
from webapp.core.db import make_engine
from webapp.core.ids import IdConverter
from webapp.extensions import csrf


def _register_page_modules() -> None:
    """Import the modules that add routes to a shared blueprint (the coordinator's area, the API)."""
    from webapp.accounts import logins  # noqa: F401
    from webapp.api import directory as api_directory  # noqa: F401
    from webapp.api import engagements as api_engagements  # noqa: F401
    from webapp.api import openapi, runs, visits  # noqa: F401
    from webapp.api import outcomes as api_outcomes  # noqa: F401
    from webapp.api import programs as api_programs  # noqa: F401
    from webapp.desk import audit_views, exports, steering  # noqa: F401
    from webapp.desk import views as desk_views  # noqa: F401
    from webapp.directory import import_views, views  # noqa: F401
    from webapp.engagements import scenario_views  # noqa: F401
    from webapp.engagements import views as planning_views  # noqa: F401
    from webapp.matching import dashboard, schedule_views  # noqa: F401
    from webapp.matching import views as run_views  # noqa: F401
    from webapp.outcomes import dashboard_views, export_views, survey_views  # noqa: F401
    from webapp.visits import closure_views  # noqa: F401


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config.flask_settings())
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(app.instance_path)
    app.extensions["engine"] = make_engine(app.config["DATABASE_URL"])
    app.url_map.converters["id"] = IdConverter

    from webapp.accounts import home
    from webapp.accounts import views as auth
    from webapp.accounts.areas import coordinator_bp
    from webapp.api.base import bp as api_bp
    from webapp.core import notification_views, request_db
    from webapp.core.media import views as media_views
    from webapp.directory import mentor_views
    from webapp.engagements import people_views as engagement_views
    from webapp.ops import cli
    from webapp.outcomes import views as outcomes_views
    from webapp.programs.blueprints import blueprints as program_blueprints
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
        engagement_views.bp,
        media_views.bp,
        outcomes_views.bp,
        notification_views.bp,
        api_bp,
        *program_blueprints(),
    ):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)  # the API authenticates by bearer token, never by cookie
    return app
