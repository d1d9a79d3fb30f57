"""One input rule for the import, the forms and the API: lengths, control characters, business
numbers, ASCII digits; files that were accepted are accepted again; messages in the page's
language naming the column as the file spells it; malformed requests are 4xx, not 500."""

import csv
import html
import io

import pytest
from sqlmodel import Session, select

from tests.support.web import api, brn, calendar_address
from webapp.accounts.models import User
from webapp.accounts.security import hash_token
from webapp.core.db import session_scope
from webapp.directory.importing import ImportRejected, import_spreadsheet
from webapp.directory.importing.brn import normalize_brn
from webapp.directory.models import Company, Mentor

BACKENDS = ("sqlite", "postgres")
COMPANY_HEADER = ["사업자등록번호", "회사명", "업종", "시군", "종업원수"]


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _problems(session, kind, rows) -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        import_spreadsheet(session, kind, "f.csv", _csv(rows))
    session.rollback()
    return [str(p) for p in rejected.value.errors]


def test_import_refuses_text_longer_than_its_column_with_the_row(session):
    long_name = "가" * 121
    problems = _problems(session, "companies", [COMPANY_HEADER, [brn(1), long_name, "C29", "전주", "3"]])
    assert problems == ["row 2, 회사명: At most 120 characters."]
    assert session.exec(select(Company)).all() == []


@pytest.mark.parametrize("bad", ["회사\n이름", "회사\r이름", "회사\t이름", "회사\x00이름", "회사\x1b이름"])
def test_import_refuses_line_breaks_and_control_characters(session, bad):
    problems = _problems(session, "companies", [COMPANY_HEADER, [brn(1), bad, "C29", "전주", ""]])
    assert problems == ["row 2, 회사명: Holds a line break or another control character."]


@pytest.mark.parametrize("number", ["000-00-00000", "100-81-00011", "101-00-00019", "101-81-00000"])
def test_business_numbers_that_only_pass_the_check_digit_are_refused(number):
    with pytest.raises(ValueError, match="not a business registration number"):
        normalize_brn(number)


@pytest.mark.parametrize("digits", ["\uff11\uff12", "\u0661\u0662", "1_2", "1e1", "\u0663\u0665.\u0668"])
def test_numbers_are_ascii_digits_only(session, digits):
    problems = _problems(session, "companies", [COMPANY_HEADER, [brn(1), "회사", "C29", "전주", digits]])
    assert problems == ["row 2, 종업원수: Enter a whole number."]


@pytest.mark.parametrize(
    "industry", ["금속 가공", "금속가공제품 제조업; 기계 및 가구 제외", "fabricated metal", "C25", "25"]
)
def test_industry_by_code_number_or_korean_or_english_name(session, industry):
    import_spreadsheet(
        session, "companies", "c.csv", _csv([COMPANY_HEADER, [brn(1), "회사", industry, "전주", ""]])
    )
    assert session.exec(select(Company)).one().industry_code == "C25"


def test_a_file_that_was_accepted_is_accepted_again(session):
    companies = [COMPANY_HEADER, [brn(1), "한빛", "C29", "전주", ""], [brn(2), "새빛", "C29", "전주", ""]]
    import_spreadsheet(session, "companies", "c.csv", _csv(companies))
    session.commit()
    # a rename and a new company taking the old name: judged on the result, not row by row
    renamed = [COMPANY_HEADER, [brn(1), "두빛", "C29", "전주", ""], [brn(3), "한빛", "C29", "전주", ""]]
    assert import_spreadsheet(session, "companies", "c.csv", _csv(renamed)).created == 1
    session.commit()
    assert import_spreadsheet(session, "companies", "c.csv", _csv(renamed)).updated == 2
    session.commit()
    # two rows of one name in one municipality are refused the first time already
    twins = [COMPANY_HEADER, [brn(4), "같은이름", "C29", "전주", ""], [brn(5), "같은이름", "C29", "전주", ""]]
    problems = _problems(session, "companies", twins)
    assert len(problems) == 2 and all("is also registered under business number" in p for p in problems)
    mentors = [
        ["이메일", "이름", "연락처", "시군", "전문업종"],
        ["a@m.kr", "김멘토", "010-1111-2222", "전주", "C29"],
        ["b@m.kr", "김멘토", "", "전주", "C29"],
    ]
    for _ in range(2):
        import_spreadsheet(session, "mentors", "m.csv", _csv(mentors))
        session.commit()
    assert len(session.exec(select(Mentor)).all()) == 2


def test_the_import_page_speaks_korean_and_names_the_files_headers(clients):
    bad = _csv([COMPANY_HEADER, ["000-00-00000", "회사", "C99", "서울", "\uff11"]])
    response = clients["coordinator"].post(
        "/coordinator/import",
        data={"kind": "companies", "file": (io.BytesIO(bad), "bad.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "2행, 사업자등록번호: '000-00-00000'" in page
    assert "2행, 업종: 'C99'" in page and "2행, 시군: '서울'" in page and "2행, 종업원수:" in page
    for english in ("row 2", "business_reg_no", "municipality", "is not", "Enter a"):
        assert english not in page, english
    missing = clients["coordinator"].post(
        "/coordinator/import",
        data={"kind": "companies", "file": (io.BytesIO(_csv([["회사명"], ["a"]])), "m.csv")},
        content_type="multipart/form-data",
    )
    page = html.unescape(missing.get_data(as_text=True))
    assert "사업자등록번호" in page and "missing" not in page


def test_the_form_and_the_api_refuse_what_the_import_refuses(web_app, clients, world):
    form = clients["coordinator"].post(
        f"/coordinator/mentors/{world.mentors[0]}",
        data={
            "name": "멘토\nA",
            "municipality": "전주",
            "industries": "C29",
            "capacity": "3",
            "active": "yes",
        },
    )
    assert form.status_code == 400 and 'id="name-error"' in form.get_data(as_text=True)
    with session_scope(web_app.extensions["engine"]) as s:
        s.exec(select(User).where(User.email == "coord@x.kr")).one().api_token_hash = hash_token("jbsf_coord")
    client = api(web_app, "jbsf_coord")
    for body in ({"name": "멘토\r\nA"}, {"name": "가" * 81}, {"capacity": "\uff13"}):
        answer = client.patch(f"/api/v1/mentors/{world.mentors[0]}", json=body)
        assert answer.status_code == 422, body
        assert set(answer.get_json()["fields"]) == set(body)
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(Mentor, world.mentors[0]).name == "멘토A"


def test_a_line_break_stored_earlier_does_not_break_the_calendar_feed(web_app, clients, world):
    feed = calendar_address(clients["mentor_a"])
    with session_scope(web_app.extensions["engine"]) as s:
        s.get(Mentor, world.mentors[0]).name = "멘토\nA"
    response = web_app.test_client().get(feed)
    assert response.status_code == 200 and b"\\n" in response.data


def test_malformed_requests_are_answered_not_crashed(web_app, clients, world):
    with session_scope(web_app.extensions["engine"]) as s:
        s.exec(select(User).where(User.email == "coord@x.kr")).one().api_token_hash = hash_token("jbsf_coord")
    client = api(web_app, "jbsf_coord")
    nested = "[" * 100_000 + "]" * 100_000
    answer = client.post("/api/v1/companies", data=nested, content_type="application/json")
    assert answer.status_code == 400
    answer = client.patch(f"/api/v1/mentors/{world.mentors[0]}", data=nested, content_type="application/json")
    assert answer.status_code == 400
    for page in ("\uff11", "\u0661", "1_0"):
        assert client.get(f"/api/v1/companies?page={page}").status_code == 400
        assert clients["coordinator"].get(f"/coordinator/companies?page={page}").status_code == 200
    not_allowed = client.delete("/api/v1/companies")
    assert not_allowed.status_code == 405 and "GET" in not_allowed.headers["Allow"]
    assert "POST" in clients["coordinator"].put("/coordinator/import").headers["Allow"]


@pytest.mark.parametrize("field", ["min_load", "stability", "max_municipalities_per_mentor"])
@pytest.mark.parametrize("value", ["abc", "-1", "\uff11", "99999999"])
def test_the_schedule_page_shows_bad_parameters_next_to_the_field(clients, field, value):
    data = {"weekday": "2", "at": "07:30", "max_distance_km": "60", "time_limit": "20", field: value}
    page = clients["coordinator"].post("/coordinator/schedule", data=data)
    assert page.status_code == 400 and f'id="{field}-error"' in page.get_data(as_text=True)


def test_search_takes_percent_and_underscore_literally(web_app, world):
    with session_scope(web_app.extensions["engine"]) as s:
        s.exec(select(User).where(User.email == "coord@x.kr")).one().api_token_hash = hash_token("jbsf_coord")
    client = api(web_app, "jbsf_coord")
    for kind in ("companies", "mentors"):
        assert client.get(f"/api/v1/{kind}").get_json()["total"] > 0
        for q in ("%25", "_", "%25%25", "\\"):
            assert client.get(f"/api/v1/{kind}?q={q}").get_json()["total"] == 0, (kind, q)
    assert client.get("/api/v1/companies?q=회사").get_json()["total"] == 3


def test_a_company_does_not_get_its_mentors_home(web_app, world):
    with session_scope(web_app.extensions["engine"]) as s:
        for email, token in (("company_a@x.kr", "jbsf_co_a"), ("coord@x.kr", "jbsf_coord")):
            s.exec(select(User).where(User.email == email)).one().api_token_hash = hash_token(token)
    seen_by_company = api(web_app, "jbsf_co_a").get("/api/v1/mentors").get_json()["items"]
    assert seen_by_company and all(not {"address", "lat", "lon"} & set(m) for m in seen_by_company)
    assert {"name", "phone", "email"} <= set(seen_by_company[0])
    seen_by_coordinator = api(web_app, "jbsf_coord").get(f"/api/v1/mentors/{world.mentors[0]}").get_json()
    assert {"address", "lat", "lon"} <= set(seen_by_coordinator)
