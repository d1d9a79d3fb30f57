"""Two sessions of one mentor adding overlapping weekly windows at the same moment, against a
real server on SQLite and PostgreSQL: the database keeps exactly one (migration 0007)."""

from __future__ import annotations

import threading

from sqlmodel import Session, select

from tests.support.live_server import serve
from tests.support.web import PASSWORD_HASH
from tests.visits.test_web_double_booking import Browser
from webapp.accounts.models import User
from webapp.core.db import make_engine, session_scope
from webapp.directory.models import Mentor, MentorAvailability, Municipality

BACKENDS = ("sqlite", "postgres")
ROUNDS = 6


def _mentor(db_url: str) -> int:
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        jeonju = s.exec(select(Municipality).where(Municipality.name_en == "Jeonju")).one()
        mentor = Mentor(
            name="멘토", email="m@m.kr", municipality_id=jeonju.id, lat=jeonju.lat, lon=jeonju.lon
        )
        s.add(mentor)
        s.flush()
        s.add(User(email="mentor@x.kr", role="mentor", mentor_id=mentor.id, password_hash=PASSWORD_HASH))
        mentor_id = mentor.id
    engine.dispose()
    return mentor_id


def test_overlapping_windows_added_at_once_keep_one(db_url, tmp_path):
    mentor_id = _mentor(db_url)
    with serve(db_url, tmp_path / "server.log") as base:
        browsers = [Browser(base) for _ in range(2)]
        for browser in browsers:
            browser.sign_in("mentor@x.kr")
        for weekday in range(ROUNDS):
            tokens = [browser.csrf("/mentor/availability") for browser in browsers]
            windows = [("09:00", "12:00"), ("10:00", "13:00")]
            barrier = threading.Barrier(2)
            answers: list = [None, None]

            def add(
                i: int, barrier=barrier, answers=answers, tokens=tokens, day=weekday, windows=windows
            ) -> None:
                starts, ends = windows[i]
                form = {"weekday": str(day), "starts": starts, "ends": ends, "csrf_token": tokens[i]}
                barrier.wait()
                answers[i] = browsers[i].request("/mentor/windows", form)

            threads = [threading.Thread(target=add, args=(i,)) for i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=90)
            assert all(status in (302, 400, 409) for status, _ in answers), (
                tmp_path / "server.log"
            ).read_text()[-3000:]
            engine = make_engine(db_url)
            with Session(engine) as s:
                kept = s.exec(
                    select(MentorAvailability).where(
                        MentorAvailability.mentor_id == mentor_id, MentorAvailability.weekday == weekday
                    )
                ).all()
            engine.dispose()
            assert len(kept) == 1, f"round {weekday}: {[(w.starts, w.ends) for w in kept]}"
