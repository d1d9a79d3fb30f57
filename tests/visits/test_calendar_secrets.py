"""Bearer secrets are stored only as their SHA-256: calendar feed addresses, API tokens and
invitation links. Migration 0010 hashes the calendar secrets stored in plain text before it, so
the addresses people subscribed to keep working, and a replaced or stopped address fails."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import Session, select

from tests.support.mail import stored_text
from tests.support.web import calendar_address
from webapp.accounts.invitations import invite
from webapp.accounts.models import User
from webapp.accounts.security import hash_token
from webapp.directory.models import Company, Mentor, MentorIndustry
from webapp.ops import migrate

BACKENDS = ("sqlite", "postgres")


def _secret(path: str) -> str:
    return path.removeprefix("/calendar/").removesuffix(".ics")


def test_the_database_holds_no_plain_secret(web_app, clients, world, db_backend):
    engine = web_app.extensions["engine"]
    feeds = [_secret(calendar_address(clients[who])) for who in ("mentor_a", "company_a")]
    page = clients["coordinator"].post("/account/token").get_data(as_text=True)
    api_token = re.search(r'<code class="token">([^<]+)</code>', page)[1]
    stored = stored_text(engine)
    for secret in (*feeds, api_token):
        assert secret not in stored
        assert hash_token(secret) in stored  # what is kept instead
    with Session(engine) as s:
        invitation = invite(s, s.exec(select(User).where(User.email == world.users["company_c"])).one())
        s.commit()
    # Once: the invitation email's secret, apart from its text, until the email is sent.
    assert stored_text(engine).count(invitation) == 1
    assert invitation not in stored_text(engine, leave_out=("outboxemail",))
    assert hash_token(invitation) in stored_text(engine)
    assert web_app.test_client().get(f"/calendar/{feeds[0]}.ics").status_code == 200
    assert web_app.test_client().get(f"/calendar/{hash_token(feeds[0])}.ics").status_code == 404


def test_plain_secrets_of_before_0010_still_open_their_feeds(web_app, clients, world, db_backend):
    engine = web_app.extensions["engine"]
    with Session(engine) as s:
        fits_before = len(s.exec(select(MentorIndustry)).all())
    migrate.downgrade(engine, "0009")
    plain = {
        "mentor": "old-mentor-feed-secret-0123456789abcdefghijklmnopq",
        "company": "old-company-feed-0123",
    }
    with engine.begin() as connection:
        for table, record_id in (("mentor", world.mentors[0]), ("company", world.companies[0])):
            connection.execute(
                sa.text(f"UPDATE {table} SET calendar_token = :token WHERE id = :id"),
                {"token": plain[table], "id": record_id},
            )
    migrate.upgrade(engine)

    with Session(engine) as s:
        assert s.get(Mentor, world.mentors[0]).calendar_token_hash == hash_token(plain["mentor"])
        assert s.get(Company, world.companies[0]).calendar_token_hash == hash_token(plain["company"])
        assert len(s.exec(select(MentorIndustry)).all()) == fits_before  # renamed in place, nothing lost
    assert not any(secret in stored_text(engine) for secret in plain.values())
    anonymous = web_app.test_client()
    for secret in plain.values():
        response = anonymous.get(f"/calendar/{secret}.ics")
        assert response.status_code == 200
        assert f"UID:visit-{world.slots[0]}@" in response.get_data(as_text=True)

    # The owners still replace or stop them: the old addresses then fail.
    new = calendar_address(clients["mentor_a"])
    assert anonymous.get(f"/calendar/{plain['mentor']}.ics").status_code == 404
    assert anonymous.get(new).status_code == 200
    assert clients["company_a"].post("/calendar/stop").status_code == 302
    assert anonymous.get(f"/calendar/{plain['company']}.ics").status_code == 404
