"""Shared fixtures: a migrated SQLite database per test, the Flask app and its clients.

Migrating takes a moment, so one template database is migrated per test session and copied
for each test.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import Session

from webapp import create_app, migrate
from webapp.db import make_engine, session_scope
from webapp.reference_data import seed_reference_data


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        seed_reference_data(session)
    engine.dispose()
    return path


@pytest.fixture
def db_url(template_db, tmp_path) -> str:
    path = tmp_path / "test.sqlite3"
    shutil.copy(template_db, path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def app(db_url):
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "test"})
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
