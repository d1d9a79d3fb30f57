"""Running the Alembic migrations from code (CLI, tests, `make run`)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(engine: sa.Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["configure_logging"] = False
    return config


def _with_connection(engine: sa.Engine, action, *args) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        action(config, *args)


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    _with_connection(engine, command.upgrade, revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    _with_connection(engine, command.downgrade, revision)
