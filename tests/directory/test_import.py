import csv
import io
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import func, select

from webapp.directory.importing import ImportRejected, import_spreadsheet
from webapp.directory.importing.brn import check_digit, normalize_brn
from webapp.directory.models import Company, Mentor, MentorIndustry, Municipality

SAMPLES = Path(__file__).resolve().parents[2] / "webapp" / "samples"


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _csv(rows, encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def _import(session, kind, filename, data):
    result = import_spreadsheet(session, kind, filename, data)
    session.commit()
    return result


@pytest.mark.parametrize("filename", ["companies.csv", "companies-cp949.csv", "companies.xlsx"])
def test_sample_company_files_import_in_every_encoding(session, filename):
    result = _import(session, "companies", filename, (SAMPLES / filename).read_bytes())
    assert (result.created, result.updated) == (4, 0)
    hanbit = session.exec(select(Company).where(Company.business_reg_no == "4028112341")).one()
    assert hanbit.name == "(주)한빛정밀"
    assert hanbit.industry_code == "C25" and hanbit.priority == 2 and hanbit.status == "applied"
    assert hanbit.size == "small" and hanbit.employees == 35
    jeonju = session.exec(select(Municipality).where(Municipality.name_en == "Jeonju")).one()
    assert (hanbit.municipality_id, hanbit.lat, hanbit.lon) == (jeonju.id, jeonju.lat, jeonju.lon)
    gunsan = session.exec(select(Company).where(Company.name == "새만금오토텍")).one()
    assert gunsan.status == "active" and gunsan.lat == pytest.approx(35.9712)


def test_reimporting_the_same_file_updates_instead_of_duplicating(session):
    data = (SAMPLES / "companies.csv").read_bytes()
    _import(session, "companies", "companies.csv", data)
    changed = data.decode("utf-8-sig").replace("(주)한빛정밀", "(주)한빛정밀공업").encode("utf-8-sig")
    result = _import(session, "companies", "companies.csv", changed)
    assert (result.created, result.updated) == (0, 4)
    assert _count(session, Company) == 4
    assert (
        session.exec(select(Company).where(Company.business_reg_no == "4028112341")).one().name
        == "(주)한빛정밀공업"
    )


def test_sample_mentor_file_imports_with_industries_and_fit(session):
    result = _import(session, "mentors", "mentors.csv", (SAMPLES / "mentors.csv").read_bytes())
    assert result.created == 3
    lee = session.exec(select(Mentor).where(Mentor.email == "lee.jh@mentors.example.kr")).one()
    fits = {
        mi.industry_code: mi.fit
        for mi in session.exec(select(MentorIndustry).where(MentorIndustry.mentor_id == lee.id))
    }
    assert fits == {"C30": 95, "C29": 60, "C25": 50}
    assert lee.capacity == 5 and lee.active


def test_mentor_reimport_replaces_industries(session):
    header = ["이메일", "이름", "시군", "업종", "수용기업수"]
    _import(session, "mentors", "m.csv", _csv([header, ["a@x.kr", "김철수", "전주", "C29:90; C30", "4"]]))
    _import(session, "mentors", "m.csv", _csv([header, ["a@x.kr", "김철수", "전주", "C10 70", "2"]]))
    mentor = session.exec(select(Mentor)).one()
    assert mentor.capacity == 2
    assert [(mi.industry_code, mi.fit) for mi in session.exec(select(MentorIndustry))] == [("C10", 70)]


def test_bad_file_is_rejected_whole_with_row_numbered_errors(session):
    _import(session, "companies", "companies.csv", (SAMPLES / "companies.csv").read_bytes())
    before = [(c.business_reg_no, c.name) for c in session.exec(select(Company))]
    valid = "4028112341"  # already stored: would be an update
    rows = [
        ["business_reg_no", "name", "industry", "municipality", "priority", "lat", "lon"],
        [valid, "Updated name", "C25", "Jeonju", "1", "", ""],
        ["123-45-67890", "Bad check digit", "C29", "Jeonju", "1", "", ""],
        ["1234", "Too short", "C29", "Jeonju", "1", "", ""],
        ["401-86-11117", "Unknown things", "C99", "Seoul", "9", "", ""],
        ["", "No number", "C29", "Jeonju", "1", "", ""],
        [valid, "Twice in the file", "C29", "Jeonju", "1", "", ""],
        ["403-81-22221", "Half a location", "C10", "Iksan", "1", "35.9", ""],
        ["404-84-33339", "Off the map", "C10", "Iksan", "1", "37.5", "127.0"],
    ]
    with pytest.raises(ImportRejected) as rejected:
        import_spreadsheet(session, "companies", "bad.csv", _csv(rows))
    session.rollback()
    errors = [str(e) for e in rejected.value.errors]
    assert "row 3, business_reg_no: '123-45-67890' has a wrong check digit." in errors
    assert any(e.startswith("row 4, business_reg_no:") and "10 digits" in e for e in errors)
    assert any(e.startswith("row 5, industry:") and "C99" in e for e in errors)
    assert any(e.startswith("row 5, municipality:") and "Seoul" in e for e in errors)
    assert any(e.startswith("row 5, priority:") for e in errors)
    assert "row 6, business_reg_no: Required." in errors
    assert "row 7, business_reg_no: 402-81-12341 already appears in row 2." in errors
    assert any(e.startswith("row 8, lat/lon:") for e in errors)
    assert any(e.startswith("row 9, lat:") for e in errors)
    assert not any(e.startswith("row 2,") for e in errors)
    assert [(c.business_reg_no, c.name) for c in session.exec(select(Company))] == before


def test_company_already_registered_under_another_number_is_rejected(session):
    _import(session, "companies", "companies.csv", (SAMPLES / "companies.csv").read_bytes())
    other = "405811000"
    other += str(check_digit(other))
    rows = [["사업자등록번호", "회사명", "업종코드", "시군"], [other, "(주)한빛정밀", "C25", "전주시"]]
    with pytest.raises(ImportRejected) as rejected:
        import_spreadsheet(session, "companies", "dup.csv", _csv(rows))
    assert [str(e) for e in rejected.value.errors] == [
        "row 2, 회사명: '(주)한빛정밀' in 전주시 is also registered under business number 402-81-12341."
    ]


def test_mentor_file_errors(session):
    rows = [
        ["email", "name", "municipality", "industries", "capacity", "active"],
        ["a@x.kr", "A", "Jeonju", "C29:100; C29:50", "3", "yes"],
        ["not-an-email", "B", "Jeonju", "C29", "3", "yes"],
        ["a@x.kr", "C", "Jeonju", "C29", "3", "yes"],
        ["d@x.kr", "D", "Jeonju", "C29:150", "99", "maybe"],
        ["e@x.kr", "E", "Jeonju", "", "3", ""],
    ]
    with pytest.raises(ImportRejected) as rejected:
        import_spreadsheet(session, "mentors", "m.csv", _csv(rows))
    errors = [str(e) for e in rejected.value.errors]
    assert "row 2, industries: C29 is listed twice." in errors
    assert "row 3, email: 'not-an-email' is not an email address." in errors
    assert "row 4, email: a@x.kr already appears in row 2." in errors
    assert "row 5, industries: Fit 150 for C29 is not between 1 and 100." in errors
    assert "row 5, capacity: 99 is not between 0 and 50." in errors
    assert any(e.startswith("row 5, active:") for e in errors)
    assert "row 6, industries: Required." in errors
    assert _count(session, Mentor) == 0


def test_missing_columns_and_unreadable_files_are_reported(session):
    with pytest.raises(ImportRejected) as rejected:
        import_spreadsheet(session, "companies", "c.csv", _csv([["name", "industry"], ["A", "C29"]]))
    errors = [str(e) for e in rejected.value.errors]
    assert any("missing: business_reg_no (also accepted: " in e for e in errors)
    assert any("missing: municipality" in e for e in errors)
    with pytest.raises(ImportRejected, match="problem"):
        import_spreadsheet(session, "companies", "c.csv", b"")
    with pytest.raises(ImportRejected) as rejected:
        import_spreadsheet(session, "companies", "c.xlsx", b"PK\x03\x04 not really a zip")
    assert str(rejected.value.errors[0]).startswith("Not a readable .xlsx workbook")
    with pytest.raises(ImportRejected) as rejected:
        import_spreadsheet(session, "companies", "c.csv", b"\xff\xfe\x00\x81\xff\xff")
    assert "CP949" in str(rejected.value.errors[0])


def test_xlsx_with_korean_headers_and_date_cells(session):
    from datetime import datetime

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["사업자등록번호", "기업명", "업종", "소재지", "참여일", "종업원수"])
    sheet.append([4028112341, "숫자로 된 번호", 29, "군산시", datetime(2026, 2, 3), 12.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _import(session, "companies", "c.xlsx", buffer.getvalue())
    company = session.exec(select(Company)).one()
    assert (company.business_reg_no, company.industry_code, company.employees) == ("4028112341", "C29", 12)
    assert company.joined_on.isoformat() == "2026-02-03"


@pytest.mark.parametrize(
    "raw,ok",
    [
        ("402-81-12341", True),
        ("4028112341", True),
        ("402 81 12341", True),
        ("402-81-12342", False),
        ("40281123", False),
        ("abcdefghij", False),
    ],
)
def test_business_registration_number_check_digit(raw, ok):
    if ok:
        assert normalize_brn(raw) == "4028112341"
    else:
        with pytest.raises(ValueError):
            normalize_brn(raw)
