"""The programs tests' world: the shared web world plus an open 2027 cohort with its three
tracks, three evaluators with logins, and a helper that files applications."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from tests.support.web import PASSWORD_HASH, Clients, brn
from webapp.accounts.models import User
from webapp.core.db import session_scope
from webapp.programs.models import Cohort, CohortTrack


def form_data(n: int, **changes) -> dict:
    """A valid application form (company n)."""
    data = {
        "business_reg_no": brn(100 + n),
        "company_name": f"신청기업{n}",
        "representative": "홍길동",
        "industry": "C29",
        "municipality": "Jeonju",
        "address": f"전주시 덕진구 {n}",
        "revenue": "3200",
        "employees": "15",
        "previous_support": "no",
        "other_project": "no",
        "tax_arrears": "no",
        "contact_name": "김담당",
        "contact_phone": "063-123-4567",
        "contact_email": f"c{n}@firm.kr",
        "track": "JS1",
        "consent": "yes",
    }
    data.update(changes)
    return data


@pytest.fixture
def program(web_app, world):
    now = datetime.now(UTC)
    with session_scope(web_app.extensions["engine"]) as s:
        cohort = Cohort(
            name="2027 test cohort",
            year=2027,
            status="applications_open",
            applications_open_at=now - timedelta(days=1),
            applications_close_at=now + timedelta(days=10),
            first_monday=date(2027, 7, 5),
            inspection_first_day=date(2027, 3, 2),
            inspection_last_day=date(2027, 3, 12),
        )
        s.add(cohort)
        s.flush()
        s.add_all(
            [
                CohortTrack(
                    cohort_id=cohort.id,
                    code="JS1",
                    quota=2,
                    max_revenue_krw=5_000_000_000,
                    max_employees=20,
                    first_time_only=True,
                ),
                CohortTrack(cohort_id=cohort.id, code="JS2", quota=1),
                CohortTrack(cohort_id=cohort.id, code="JS3", quota=1),
            ]
        )
        evaluators = {}
        for key in ("ev_a", "ev_b", "ev_c"):
            user = User(email=f"{key}@x.kr", role="evaluator", display_name=key, password_hash=PASSWORD_HASH)
            s.add(user)
            evaluators[key] = user
        s.flush()
        ids = {k: u.id for k, u in evaluators.items()}
        cohort_id = cohort.id
    users = {**world.users, **{k: f"{k}@x.kr" for k in ids}}
    return SimpleNamespace(cohort=cohort_id, evaluators=ids, clients=Clients(web_app, users), world=world)


def file_application(app, cohort_id: int, n: int, **changes):
    """Store an application through the service (as the form would), returning its id."""
    from webapp.programs.applications import submit

    with app.test_request_context():
        with Session(app.extensions["engine"], expire_on_commit=False) as s:
            return submit(s, s.get(Cohort, cohort_id), form_data(n, **changes)).id


def correct_through_link(client, token: str, data: dict):
    """Post the applicant's correction form as its page would: with the basis the page showed."""
    page = client.get(f"/apply/mine/{token}").get_data(as_text=True)
    shown = re.search(r'name="basis" value="([^"]*)"', page)
    return client.post(f"/apply/mine/{token}", data={**data, "basis": shown.group(1) if shown else ""})


def get(app, model, key):
    with Session(app.extensions["engine"]) as s:
        return s.get(model, key)


def all_of(app, model, *where):
    with Session(app.extensions["engine"]) as s:
        return list(s.exec(select(model).where(*where)))


def offer_inspection(app, program, application_id: int, **values) -> int:
    """An inspection of the application by the pair of mentor A and mentor B on 2 March 2027
    (as the router would offer it), without running the router; returns its id."""
    from webapp.programs.inspection_models import Inspection, InspectionPair

    with Session(app.extensions["engine"]) as s:
        pair = s.exec(select(InspectionPair).where(InspectionPair.cohort_id == program.cohort)).first()
        if pair is None:
            mentor_a, mentor_b = program.world.mentors
            pair = InspectionPair(cohort_id=program.cohort, mentor_a_id=mentor_a, mentor_b_id=mentor_b)
            s.add(pair)
            s.flush()
        start = datetime(2027, 3, 2, 1, tzinfo=UTC)
        inspection = Inspection(
            cohort_id=program.cohort,
            application_id=application_id,
            pair_id=pair.id,
            day=date(2027, 3, 2),
            seq=1,
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            **values,
        )
        s.add(inspection)
        s.commit()
        return inspection.id
