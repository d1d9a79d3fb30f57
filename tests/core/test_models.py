from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from webapp.accounts.models import User
from webapp.core.clock import utcnow
from webapp.directory.models import Company, Mentor, MentorIndustry, Municipality
from webapp.matching.models import Assignment, MatchingRun
from webapp.visits.models import VisitSlot

BACKENDS = ("sqlite", "postgres")


def _municipality(session, name="Jeonju"):
    return session.exec(select(Municipality).where(Municipality.name_en == name)).one()


def _company(session, brn="4028112341", **kw):
    m = _municipality(session)
    values = dict(
        name="A", business_reg_no=brn, industry_code="C29", municipality_id=m.id, lat=m.lat, lon=m.lon
    )
    values.update(kw)
    return Company(**values)


def _mentor(session, email="m@example.kr", **kw):
    m = _municipality(session)
    return Mentor(**dict(dict(name="M", email=email, municipality_id=m.id, lat=m.lat, lon=m.lon), **kw))


def _commit_fails(session, *records):
    session.add_all(records)
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_reference_tables_hold_the_14_municipalities_and_ksic_divisions(session):
    municipalities = session.exec(select(Municipality)).all()
    assert len(municipalities) == 14
    assert {m.name_ko for m in municipalities} >= {"전주시", "군산시", "익산시", "완주군"}
    assert all(35.0 < m.lat < 36.4 and 126.2 < m.lon < 128.1 for m in municipalities)
    from webapp.directory.models import Industry

    codes = {i.code for i in session.exec(select(Industry))}
    assert codes == {f"C{n}" for n in range(10, 35)}


def test_business_registration_number_is_unique(session):
    session.add(_company(session))
    session.commit()
    _commit_fails(session, _company(session, name="B"))


@pytest.mark.parametrize(
    "field,value",
    [
        ("priority", 0),
        ("priority", 6),
        ("status", "sleeping"),
        ("size", "huge"),
        ("employees", -1),
        ("industry_code", "C99"),
    ],
)
def test_company_rejects_out_of_range_values(session, field, value):
    _commit_fails(session, _company(session, **{field: value}))


def test_mentor_capacity_and_fit_ranges(session):
    _commit_fails(session, _mentor(session, capacity=-1))
    mentor = _mentor(session)
    session.add(mentor)
    session.commit()
    _commit_fails(session, MentorIndustry(mentor_id=mentor.id, industry_code="C29", fit=101))


def test_user_role_must_match_its_link(session):
    mentor = _mentor(session)
    session.add(mentor)
    session.commit()
    _commit_fails(session, User(email="a@x.kr", password_hash="h", role="mentor"))
    _commit_fails(session, User(email="b@x.kr", password_hash="h", role="coordinator", mentor_id=mentor.id))
    session.add(User(email="c@x.kr", password_hash="h", role="mentor", mentor_id=mentor.id))
    session.commit()
    _commit_fails(session, User(email="d@x.kr", password_hash="h", role="mentor", mentor_id=mentor.id))


def test_assignment_one_mentor_per_company_per_run(session):
    company, mentor, run = _company(session), _mentor(session), MatchingRun()
    session.add_all([company, mentor, run])
    session.commit()
    pair = dict(run_id=run.id, company_id=company.id, mentor_id=mentor.id, value=1, distance_km=1, fit=1)
    session.add(Assignment(**pair))
    session.commit()
    _commit_fails(session, Assignment(**pair))


def test_visit_must_end_after_it_starts_and_reference_real_rows(session):
    company, mentor = _company(session), _mentor(session)
    session.add_all([company, mentor])
    session.commit()
    start = utcnow()
    _commit_fails(
        session,
        VisitSlot(
            mentor_id=mentor.id, company_id=company.id, starts_at=start, ends_at=start - timedelta(hours=1)
        ),
    )
    _commit_fails(
        session,
        VisitSlot(mentor_id=mentor.id, company_id=9999, starts_at=start, ends_at=start + timedelta(hours=4)),
    )


def test_json_columns_round_trip(session):
    run = MatchingRun(
        params={"max_distance_km": 60},
        stats={"wall_s": 0.1},
        unassigned=[{"company": "1", "reason": "no mentor of that industry"}],
    )
    session.add(run)
    session.commit()
    session.expunge_all()
    stored = session.get(MatchingRun, run.id)
    assert stored.params == {"max_distance_km": 60}
    assert stored.unassigned[0]["reason"] == "no mentor of that industry"
    assert stored.created_at.tzinfo is not None
