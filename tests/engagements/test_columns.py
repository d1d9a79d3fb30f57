"""The planning columns of the imports, the record forms and the API (Korean and English headers);
a sheet without them keeps what is stored."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import Session, select

from tests.support.engagements import make_program
from tests.support.web import brn
from webapp.directory.importing import ImportRejected, import_spreadsheet
from webapp.directory.models import Company, Mentor


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_company_planning_columns_in_korean_and_kept_when_absent(session):
    program = make_program(session)
    number = brn(500)
    sheet = _csv(
        [
            [
                "사업자등록번호",
                "회사명",
                "업종",
                "시군",
                "사업연도",
                "트랙",
                "평가점수",
                "필요역량",
                "참여기간",
                "팀인원",
            ],
            [number, "(주)새공장", "C29", "전주", "2026", "js2", "88", "automation, Quality", "10", "3"],
        ]
    )
    import_spreadsheet(session, "companies", "a.csv", sheet)
    session.commit()
    company = session.exec(select(Company).where(Company.business_reg_no == number)).one()
    assert (company.cohort_id, company.track, company.score) == (program.cohort, "JS2", 88)
    assert company.required_skills == ["automation", "quality"]
    assert (company.engagement_weeks, company.team_size) == (10, 3)
    # An older sheet without the planning columns changes nothing of them.
    import_spreadsheet(
        session,
        "companies",
        "b.csv",
        _csv(
            [["business_reg_no", "name", "industry", "municipality"], [number, "(주)새공장", "C29", "Jeonju"]]
        ),
    )
    session.commit()
    session.refresh(company)
    assert (company.cohort_id, company.track, company.score, company.team_size) == (
        program.cohort,
        "JS2",
        88,
        3,
    )


def test_bad_planning_values_reject_the_file_naming_row_and_column(session):
    make_program(session)
    sheet = _csv(
        [
            [
                "business_reg_no",
                "name",
                "industry",
                "municipality",
                "program year",
                "score",
                "skills",
                "team_size",
            ],
            [brn(501), "가", "C29", "Jeonju", "2031", "101", "자동화", "9"],
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        import_spreadsheet(session, "companies", "c.csv", sheet)
    errors = "\n".join(str(problem) for problem in rejected.value.errors)  # named by the file's headers
    assert "row 2, program year: there is no program year 2031" in errors
    assert "row 2, score: 101 is not between 1 and 100" in errors
    assert "row 2, skills:" in errors and "row 2, team_size:" in errors
    assert session.exec(select(Company).where(Company.business_reg_no == brn(501))).first() is None


def test_mentor_skills_and_engagements_at_once(session):
    sheet = _csv(
        [
            ["이메일", "이름", "시군", "전문업종", "역량", "동시참여수"],
            ["new@m.kr", "새멘토", "익산", "C29:90", "logistics; it", "0"],
        ]
    )
    import_spreadsheet(session, "mentors", "m.csv", sheet)
    session.commit()
    mentor = session.exec(select(Mentor).where(Mentor.email == "new@m.kr")).one()
    assert mentor.skills == ["logistics", "it"] and mentor.max_concurrent == 0


def test_forms_and_api_take_the_planning_fields(web_app, plan_world, plan_clients):
    program = plan_world.program
    client = plan_clients["coordinator"]
    page = client.get(f"/coordinator/companies/{program.companies[0]}").get_data(as_text=True)
    assert "평가위원회 점수" in page and 'value="90"' in page and 'value="JS1"' in page
    response = client.post(
        f"/coordinator/companies/{program.companies[0]}",
        data={"score": "95", "required_skills": "safety", "team_size": "0"},
    )
    assert response.status_code == 400  # team size 0 is refused, nothing saved
    headers = {"Authorization": "Bearer token-coordinator"}
    api = web_app.test_client()
    path = f"/api/v1/companies/{program.companies[0]}"
    updated = api.patch(path, json={"score": 95, "required_skills": ["safety", "it"]}, headers=headers)
    assert updated.status_code == 200, updated.get_json()
    refused = api.patch(path, json={"team_size": 0}, headers=headers)
    assert refused.status_code == 422 and "team_size" in refused.get_json()["fields"]
    with Session(web_app.extensions["engine"]) as s:
        company = s.get(Company, program.companies[0])
        assert (company.score, company.required_skills, company.team_size) == (95, ["safety", "it"], None)
