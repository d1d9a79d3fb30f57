"""Shared fixtures: a migrated database per test, the Flask app and its clients.

Migrating takes a moment, so one template database is migrated per test session and copied for
each test (a file copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL).

Tests run on SQLite. A module that sets BACKENDS = ("sqlite", "postgres") runs its tests on
both; the PostgreSQL ones carry the `postgres` mark and need TEST_POSTGRES_URL (a server URL
whose user may create databases; `make test` starts one on loopback and sets it).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from webapp import create_app
from webapp.core.db import make_engine, session_scope
from webapp.directory.reference_data import seed_reference_data
from webapp.ops import migrate


def pytest_generate_tests(metafunc):
    if "db_backend" in metafunc.fixturenames:
        backends = getattr(metafunc.module, "BACKENDS", ("sqlite",))
        metafunc.parametrize(
            "db_backend",
            [pytest.param(b, marks=pytest.mark.postgres) if b == "postgres" else b for b in backends],
            indirect=True,
        )


@pytest.fixture
def db_backend(request) -> str:
    return request.param


def _migrate_and_seed(url: str) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        seed_reference_data(session)
    engine.dispose()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    _migrate_and_seed(f"sqlite:///{path}")
    return path


def _admin_engine(server_url: str, database: str = "postgres") -> sa.Engine:
    url = sa.engine.make_url(server_url).set(database=database)
    return sa.create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template(worker_id) -> str:
    """A migrated PostgreSQL template database (one per xdist worker)."""
    server_url = os.environ.get("TEST_POSTGRES_URL")
    if not server_url:
        pytest.skip("TEST_POSTGRES_URL is not set (make test starts a server and sets it)")
    name = f"mentoring_template_{worker_id}"
    admin = _admin_engine(server_url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    url = sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    _migrate_and_seed(url)
    return name


@pytest.fixture(scope="session")
def worker_id(request) -> str:
    """xdist's worker name ("gw0"...), or "main" without xdist."""
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture
def db_url(db_backend, request, tmp_path) -> str:
    if db_backend == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(request.getfixturevalue("template_db"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("pg_template")
    server_url = os.environ["TEST_POSTGRES_URL"]
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(server_url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


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
