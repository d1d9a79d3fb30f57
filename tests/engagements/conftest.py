"""The engagement tests' world: the small program year of tests/support/engagements.py with a
login for the coordinator, two mentors (one on site now, one not) and two companies."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import Session

from tests.support.engagements import make_program
from tests.support.web import PASSWORD_HASH, Clients
from webapp.accounts.models import User
from webapp.accounts.security import hash_token


@pytest.fixture
def plan_world(web_app):
    engine = web_app.extensions["engine"]
    with Session(engine, expire_on_commit=False) as s:
        program = make_program(s)
        users = {
            "coordinator": User(email="coord@plan.kr", role="coordinator"),
            "mentor_on_site": User(email="m3@login.kr", role="mentor", mentor_id=program.mentors[2]),
            "mentor_idle": User(email="m6@login.kr", role="mentor", mentor_id=program.mentors[5]),
            "company_on_site": User(email="c2@login.kr", role="company", company_id=program.companies[1]),
            "company_planned": User(email="c3@login.kr", role="company", company_id=program.companies[2]),
            "company_none": User(email="c9@login.kr", role="company", company_id=program.companies[8]),
        }
        for key, user in users.items():
            user.password_hash = PASSWORD_HASH
            user.api_token_hash = hash_token(f"token-{key}")
            s.add(user)
        s.commit()
    return SimpleNamespace(program=program, users={k: u.email for k, u in users.items()})


@pytest.fixture
def plan_clients(web_app, plan_world):
    return Clients(web_app, plan_world.users)
