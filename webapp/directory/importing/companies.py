"""Import of companies, keyed by business registration number."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, select

from webapp.directory.importing.brn import format_brn, normalize_brn
from webapp.directory.importing.columns import (
    Column,
    parse_choice,
    parse_date,
    parse_email,
    parse_float,
    parse_int,
    with_lengths,
)
from webapp.directory.importing.lookups import (
    LAT_RANGE,
    LON_RANGE,
    Lookups,
    place_errors,
    set_place,
    upsert_rows,
)
from webapp.directory.importing.problems import Problem
from webapp.directory.models import Company, CompanySize, CompanyStatus
from webapp.engagements.columns import COMPANY_COLUMNS, cohort_errors, fill_company

COLUMNS = with_lengths(
    Company,
    [
        Column(
            "business_reg_no",
            ("business registration number", "brn", "사업자등록번호", "사업자번호"),
            normalize_brn,
            required=True,
        ),
        Column("name", ("company", "company name", "회사명", "기업명", "업체명"), required=True),
        Column("industry", ("ksic", "industry code", "업종", "업종코드", "산업분류"), required=True),
        Column("municipality", ("city", "city county", "시군", "소재지"), required=True),
        Column("address", ("주소",), default=""),
        Column("lat", ("latitude", "위도"), parse_float(*LAT_RANGE)),
        Column("lon", ("longitude", "경도"), parse_float(*LON_RANGE)),
        Column(
            "size",
            ("규모", "기업규모"),
            parse_choice(
                {
                    **{size.value: size.value for size in CompanySize},
                    "소상공인": CompanySize.micro.value,
                    "소기업": CompanySize.small.value,
                    "중기업": CompanySize.medium.value,
                }
            ),
            default=CompanySize.small.value,
        ),
        Column("employees", ("종업원수", "직원수"), parse_int(0, 100_000)),
        Column("priority", ("우선순위",), parse_int(1, 5), default=1),
        Column(
            "status",
            ("상태",),
            parse_choice(
                {
                    **{status.value: status.value for status in CompanyStatus},
                    "신청": CompanyStatus.applied.value,
                    "참여": CompanyStatus.active.value,
                    "완료": CompanyStatus.completed.value,
                    "철회": CompanyStatus.withdrawn.value,
                }
            ),
            default=CompanyStatus.applied.value,
        ),
        Column("joined_on", ("date joined", "joined", "참여일", "가입일"), parse_date),
        Column("contact_name", ("contact", "담당자"), default=""),
        Column(
            "contact_email", ("email", "contact email", "이메일", "담당자 이메일"), parse_email, default=""
        ),
        Column("contact_phone", ("phone", "contact phone", "전화번호", "연락처"), default=""),
        *COMPANY_COLUMNS,
    ],
)


def resolve(session: Session, rows: list[tuple[int, dict[str, Any]]]) -> list[Problem]:
    """Check references and uniqueness across the file and the database; fills ids in place."""
    lookups = Lookups(session)
    problems: list[Problem] = []
    first_row_of: dict[str, int] = {}
    for number, values in rows:
        problems.extend(place_errors(lookups, number, values))
        problems.extend(cohort_errors(session, number, values))
        brn = values.get("business_reg_no")
        if not brn:
            continue
        if brn in first_row_of:
            message = _(
                "%(value)s already appears in row %(row)s.", value=format_brn(brn), row=first_row_of[brn]
            )
            problems.append(Problem(message, number, "business_reg_no"))
            continue
        first_row_of[brn] = number
    problems.extend(_name_twins(session, rows))
    return problems


def _name_twins(session: Session, rows: list[tuple[int, dict[str, Any]]]) -> list[Problem]:
    """Rows whose company would share its name and municipality with another business number
    once the file is in: judged on the result (the database with the file's rows applied), so
    a file that was accepted is accepted again."""
    after: dict[str, tuple[str, int]] = {
        c.business_reg_no: (c.name.strip().lower(), c.municipality_id) for c in session.exec(select(Company))
    }
    for _number, values in rows:
        if values.get("business_reg_no") and values.get("name") and values.get("municipality") is not None:
            after[values["business_reg_no"]] = (values["name"].strip().lower(), values["municipality"].id)
    numbers_of: dict[tuple[str, int], list[str]] = {}
    for brn, key in after.items():
        numbers_of.setdefault(key, []).append(brn)
    problems = []
    for number, values in rows:
        brn = values.get("business_reg_no") or ""
        if brn not in after or values.get("municipality") is None or not values.get("name"):
            continue
        others = [format_brn(n) for n in numbers_of[after[brn]] if n != brn]
        if others:
            message = _(
                "%(name)s in %(place)s is also registered under business number %(numbers)s.",
                name=repr(values["name"]),
                place=values["municipality"].name_ko,
                numbers=", ".join(others),
            )
            problems.append(Problem(message, number, "name"))
    return problems


def _fill(company: Company, v: dict[str, Any]) -> None:
    company.name = v["name"]
    company.industry_code = v["industry"].code
    set_place(company, v)
    company.size = v["size"]
    company.employees = v["employees"]
    company.priority = v["priority"]
    company.status = v["status"]
    if v["joined_on"] is not None:
        company.joined_on = v["joined_on"]
    company.contact_name = v["contact_name"]
    company.contact_email = v["contact_email"]
    company.contact_phone = v["contact_phone"]
    fill_company(company, v)


def apply(session: Session, rows: list[tuple[int, dict[str, Any]]]) -> tuple[int, int]:
    """Insert new companies and update known ones; returns (created, updated)."""
    return upsert_rows(session, Company, "business_reg_no", rows, _fill)
