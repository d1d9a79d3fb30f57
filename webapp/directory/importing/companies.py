"""Import of companies, keyed by business registration number."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from webapp.directory.importing.brn import format_brn, normalize_brn
from webapp.directory.importing.columns import (
    Column,
    parse_choice,
    parse_date,
    parse_email,
    parse_float,
    parse_int,
)
from webapp.directory.importing.lookups import (
    LAT_RANGE,
    LON_RANGE,
    Lookups,
    place_errors,
    set_place,
    upsert_rows,
)
from webapp.directory.models import Company, CompanySize, CompanyStatus

COLUMNS = [
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
    Column("contact_email", ("email", "contact email", "이메일", "담당자 이메일"), parse_email, default=""),
    Column("contact_phone", ("phone", "contact phone", "전화번호", "연락처"), default=""),
]


def resolve(session: Session, rows: list[tuple[int, dict[str, Any]]]) -> list[str]:
    """Check references and uniqueness across the file and the database; fills ids in place."""
    lookups = Lookups(session)
    errors: list[str] = []
    first_row_of: dict[str, int] = {}
    existing = {c.business_reg_no: c for c in session.exec(select(Company))}
    by_name = {(c.name.strip().lower(), c.municipality_id): c for c in existing.values()}
    for number, values in rows:
        errors.extend(place_errors(lookups, number, values))
        brn = values.get("business_reg_no")
        if not brn:
            continue
        if brn in first_row_of:
            errors.append(
                f"row {number}, business_reg_no: {format_brn(brn)} already appears in row {first_row_of[brn]}"
            )
            continue
        first_row_of[brn] = number
        municipality = values.get("municipality")
        if values.get("name") and municipality is not None:
            twin = by_name.get((values["name"].strip().lower(), municipality.id))
            if twin is not None and twin.business_reg_no != brn:
                errors.append(
                    f"row {number}, name: {values['name']!r} in {municipality.name_en} is already "
                    f"registered under business number {format_brn(twin.business_reg_no)}"
                )
    return errors


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


def apply(session: Session, rows: list[tuple[int, dict[str, Any]]]) -> tuple[int, int]:
    """Insert new companies and update known ones; returns (created, updated)."""
    return upsert_rows(session, Company, "business_reg_no", rows, _fill)
