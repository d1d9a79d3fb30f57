from collections import Counter

from sqlmodel import func, select

from webapp.accounts.models import User
from webapp.accounts.passwords import verify_password
from webapp.directory.importing.brn import normalize_brn
from webapp.directory.models import Company, Mentor, MentorIndustry, Municipality
from webapp.engagements.models import Engagement, EngagementMember
from webapp.ops.demo import load_demo_data
from webapp.programs.demo import EVALUATORS


def _counts(session):
    return {
        model.__name__: session.exec(select(func.count()).select_from(model)).one()
        for model in (Company, Mentor, MentorIndustry, User, Municipality)
    }


def test_demo_data_is_realistic(session):
    summary = load_demo_data(session)
    session.commit()
    assert (summary.mentors, summary.companies) == (60, 300)
    companies = session.exec(select(Company)).all()
    assert all(normalize_brn(c.business_reg_no) == c.business_reg_no for c in companies)
    names = {m.id: m.name_en for m in session.exec(select(Municipality))}
    per_place = Counter(names[c.municipality_id] for c in companies)
    assert len(per_place) >= 12
    heavy = min(per_place[p] for p in ("Jeonju", "Iksan", "Gunsan", "Wanju"))
    assert heavy > max(per_place[p] for p in ("Muju", "Jangsu", "Jinan", "Imsil"))
    assert {c.status for c in companies} == {"applied", "active", "completed", "withdrawn"}
    mentor_industries = {mi.industry_code for mi in session.exec(select(MentorIndustry))}
    covered = sum(c.industry_code in mentor_industries for c in companies)
    assert covered / len(companies) > 0.9


def test_demo_data_twice_duplicates_nothing(session):
    load_demo_data(session)
    session.commit()
    first = _counts(session)
    load_demo_data(session)
    session.commit()
    assert (
        _counts(session)
        == first
        == {
            "Company": 300,
            "Mentor": 60,
            "MentorIndustry": first["MentorIndustry"],
            "User": 3 + len(EVALUATORS),  # the three demo logins and the committee
            "Municipality": 14,
        }
    )


def test_demo_logins_work_and_are_linked(session):
    summary = load_demo_data(session)
    session.commit()
    for email, password, role in summary.logins:
        user = session.exec(select(User).where(User.email == email)).one()
        assert user.role == role and verify_password(user.password_hash, password)
    mentor_user = session.exec(select(User).where(User.role == "mentor")).one()
    company_user = session.exec(select(User).where(User.role == "company")).one()
    assert session.get(Mentor, mentor_user.mentor_id) is not None
    # The demo company is on site now in the resident cohort, led by the demo mentor.
    assert session.get(Company, company_user.company_id).status == "active"
    engagement = session.exec(
        select(Engagement).where(Engagement.company_id == company_user.company_id)
    ).one()
    assert engagement.state == "on_site"
    lead = session.exec(
        select(EngagementMember).where(
            EngagementMember.engagement_id == engagement.id, EngagementMember.role == "lead"
        )
    ).one()
    assert lead.mentor_id == mentor_user.mentor_id
