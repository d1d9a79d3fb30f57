"""Property: rematching never moves or drops a confirmed visit."""

import shutil
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from webapp.core.clock import utcnow
from webapp.core.db import make_engine
from webapp.directory.models import Company, Mentor, MentorIndustry, Municipality
from webapp.matching.models import Assignment
from webapp.matching.service import approve_run, decide, run_matching
from webapp.visits.models import VisitSlot

INDUSTRIES = ["C25", "C29", "C30"]

programs = st.fixed_dictionaries(
    {
        "mentors": st.lists(
            st.tuples(st.sampled_from(INDUSTRIES), st.integers(0, 3), st.booleans(), st.integers(0, 13)),
            min_size=1,
            max_size=4,
        ),
        "companies": st.lists(
            st.tuples(st.sampled_from(INDUSTRIES), st.integers(1, 5), st.integers(0, 13)),
            min_size=1,
            max_size=8,
        ),
        "pins": st.lists(st.tuples(st.integers(0, 7), st.integers(0, 3)), max_size=5),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(program=programs)
def test_confirmed_visits_survive_rematching_unchanged(template_db, tmp_path_factory, program):
    path = tmp_path_factory.mktemp("prop") / "db.sqlite3"
    shutil.copy(template_db, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        places = session.exec(select(Municipality).order_by(Municipality.id)).all()
        mentors = []
        for n, (industry, capacity, active, place) in enumerate(program["mentors"]):
            p = places[place]
            mentor = Mentor(
                name=f"M{n}",
                email=f"m{n}@x.kr",
                municipality_id=p.id,
                lat=p.lat,
                lon=p.lon,
                capacity=capacity,
                active=active,
            )
            session.add(mentor)
            session.flush()
            session.add(MentorIndustry(mentor_id=mentor.id, industry_code=industry, fit=80))
            mentors.append(mentor)
        companies = []
        for n, (industry, priority, place) in enumerate(program["companies"]):
            p = places[place]
            company = Company(
                name=f"C{n}",
                business_reg_no=f"{n:010d}",
                industry_code=industry,
                municipality_id=p.id,
                lat=p.lat,
                lon=p.lon,
                priority=priority,
                status="active",
            )
            session.add(company)
            companies.append(company)
        session.flush()
        start = utcnow() + timedelta(days=2)
        pinned: dict[int, int] = {}
        for company_index, mentor_index in program["pins"]:
            if company_index >= len(companies) or companies[company_index].id in pinned:
                continue
            mentor = mentors[mentor_index % len(mentors)]
            company = companies[company_index]
            offset = timedelta(hours=6 * len(pinned))  # one mentor's visits never overlap
            session.add(
                VisitSlot(
                    mentor_id=mentor.id,
                    company_id=company.id,
                    state="confirmed",
                    starts_at=start + offset,
                    ends_at=start + offset + timedelta(hours=4),
                )
            )
            pinned[company.id] = mentor.id
        session.commit()
        before = sorted(
            (v.id, v.mentor_id, v.company_id, v.starts_at, v.ends_at, v.state)
            for v in session.exec(select(VisitSlot))
        )

    for _ in range(2):  # match, approve, and match again
        run = run_matching(engine)
        assert run.status == "proposed", run.error
        with Session(engine) as session:
            chosen = {
                a.company_id: a.mentor_id
                for a in session.exec(select(Assignment).where(Assignment.run_id == run.id))
            }
            assert {c: chosen.get(c) for c in pinned} == pinned
        decide(engine, approve_run, run.id, None)

    with Session(engine) as session:
        after = sorted(
            (v.id, v.mentor_id, v.company_id, v.starts_at, v.ends_at, v.state)
            for v in session.exec(select(VisitSlot))
        )
    assert after == before
    engine.dispose()
