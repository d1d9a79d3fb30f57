"""Flask web app of the mentoring program (app factory)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from webapp.db import database_url, make_engine


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


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DATABASE_URL=database_url())
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)
    app.extensions["engine"] = make_engine(app.config["DATABASE_URL"])

    from webapp import cli, views

    cli.register(app)
    app.register_blueprint(views.bp)
    return app
