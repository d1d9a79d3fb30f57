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
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

import matcher
from tests.support.live_server import free_port
from tests.support.mail import Inbox
from tests.support.web import PASSWORD_HASH, Clients, brn
from webapp import create_app
from webapp.accounts.models import User
from webapp.accounts.security import hash_token
from webapp.config import SmtpConfig
from webapp.core.db import make_engine, session_scope
from webapp.directory.models import (
    Company,
    Mentor,
    MentorAvailability,
    MentorDayOff,
    MentorIndustry,
    Municipality,
)
from webapp.directory.reference_data import seed_reference_data
from webapp.matching.models import Assignment, MatchingRun
from webapp.ops import migrate
from webapp.visits.models import VisitSlot


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
def smtp_server():
    """A local SMTP server (aiosmtpd): its Inbox and the SmtpConfig that reaches it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, SmtpConfig(host="127.0.0.1", port=controller.port, timeout=5)
    controller.stop()


@pytest.fixture
def media_root(tmp_path) -> Path:
    return tmp_path / "media"


@pytest.fixture
def app(db_url, media_root):
    app = create_app(
        {"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "test", "MEDIA_ROOT": str(media_root)}
    )
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- the web tests' world ------------------------------------------------------------
# Fixtures of the web tests: a small world of users and records, and signed-in clients.
#
# The world: two mentors and three companies; mentor A serves company A and mentor B company B
# (approved run 1); company C has no mentor. Every mentor and company has a login, so each role
# can try every other user's ids (the ownership matrix).


@pytest.fixture
def web_app(db_url, media_root):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": db_url,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False,
            "MEDIA_ROOT": str(media_root),
        }
    )
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def world(web_app):
    engine = web_app.extensions["engine"]
    with session_scope(engine) as s:
        places = {m.name_en: m for m in s.exec(select(Municipality))}
        jeonju, gunsan = places["Jeonju"], places["Gunsan"]
        mentors = [
            Mentor(
                name=name,
                email=f"{key}@m.kr",
                phone="010-0000-000" + key[-1],
                municipality_id=p.id,
                lat=p.lat,
                lon=p.lon,
                capacity=3,
            )
            for name, key, p in (("멘토A", "ma", jeonju), ("멘토B", "mb", gunsan))
        ]
        s.add_all(mentors)
        companies = [
            Company(
                name=f"회사{key.upper()}",
                business_reg_no=brn(i),
                industry_code="C29",
                municipality_id=jeonju.id,
                lat=jeonju.lat + 0.01 * i,
                lon=jeonju.lon,
                status="active",
                contact_name=f"담당{key}",
                contact_phone="063-000-0000",
            )
            for i, key in enumerate(("a", "b", "c"), start=1)
        ]
        s.add_all(companies)
        s.flush()
        for m in mentors:
            s.add(MentorIndustry(mentor_id=m.id, industry_code="C29", fit=90))
            s.add(MentorAvailability(mentor_id=m.id, weekday=0, starts=time(9), ends=time(12)))
            s.add(MentorDayOff(mentor_id=m.id, day=(datetime.now() + timedelta(days=30)).date()))
        run = MatchingRun(status="approved", params={})
        s.add(run)
        s.flush()
        assignments = [
            Assignment(
                run_id=run.id,
                company_id=c.id,
                mentor_id=m.id,
                value=10,
                distance_km=5.0,
                fit=90,
                reasons=["same industry C29"],
                state="approved",
            )
            for c, m in zip(companies, mentors, strict=False)
        ]
        s.add_all(assignments)
        soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
        slots = [
            VisitSlot(
                mentor_id=m.id,
                company_id=c.id,
                assignment_id=None,
                starts_at=soon + timedelta(hours=i),
                ends_at=soon + timedelta(hours=i, minutes=30),
                state=state,
            )
            for i, (c, m, state) in enumerate(
                (
                    (companies[0], mentors[0], "confirmed"),
                    (companies[0], mentors[0], "proposed"),
                    (companies[1], mentors[1], "confirmed"),
                )
            )
        ]
        s.add_all(slots)
        s.flush()
        users = {"coordinator": User(email="coord@x.kr", role="coordinator")}
        users.update(
            {
                key: User(email=f"{key}@x.kr", role="mentor", mentor_id=m.id)
                for key, m in zip(("mentor_a", "mentor_b"), mentors, strict=False)
            }
        )
        users.update(
            {
                key: User(email=f"{key}@x.kr", role="company", company_id=c.id)
                for key, c in zip(("company_a", "company_b", "company_c"), companies, strict=False)
            }
        )
        for user in users.values():
            user.password_hash = PASSWORD_HASH  # hashed once: scrypt is slow on purpose
            s.add(user)
        return SimpleNamespace(
            mentors=[m.id for m in mentors],
            companies=[c.id for c in companies],
            run=run.id,
            assignments=[a.id for a in assignments],
            slots=[v.id for v in slots],
            users={k: u.email for k, u in users.items()},
            windows=[w.id for w in s.exec(select(MentorAvailability).order_by(MentorAvailability.mentor_id))],
            days_off=[d.id for d in s.exec(select(MentorDayOff).order_by(MentorDayOff.mentor_id))],
        )


@pytest.fixture
def clients(web_app, world):
    return Clients(web_app, world.users)


@pytest.fixture
def fake_solver(monkeypatch):
    """A deterministic stand-in for the solver: each company gets the first mentor with its industry."""

    def solve(instance, time_limit=None, workers=None):
        load: dict[str, int] = {}
        assignments, unassigned = [], []
        for company in instance["companies"]:
            mentor = next(
                (
                    m
                    for m in instance["mentors"]
                    if company["industry"] in m["industries"] and load.get(m["id"], 0) < m["capacity"]
                ),
                None,
            )
            if mentor is None:
                unassigned.append(
                    {"company": company["id"], "reason": "no mentor with this industry has room"}
                )
                continue
            load[mentor["id"]] = load.get(mentor["id"], 0) + 1
            assignments.append(
                {
                    "company": company["id"],
                    "mentor": mentor["id"],
                    "value": 1,
                    "distance_km": 3.0,
                    "fit": mentor["industries"][company["industry"]],
                    "reasons": ["same industry"],
                }
            )
        return {
            "status": "OPTIMAL",
            "objective": len(assignments),
            "bound": len(assignments),
            "stats": {},
            "assignments": assignments,
            "unassigned": unassigned,
        }

    monkeypatch.setattr(matcher, "solve", solve, raising=False)
    return solve


@pytest.fixture
def tokens(web_app, world) -> dict[str, str]:
    """An API token per user of the world, by key; the database holds only their hashes."""
    tokens = {key: f"token-of-{key}" for key in world.users}
    with session_scope(web_app.extensions["engine"]) as s:
        for key, email in world.users.items():
            user = s.exec(select(User).where(User.email == email)).one()
            user.api_token_hash = hash_token(tokens[key])
            s.add(user)
    return tokens
