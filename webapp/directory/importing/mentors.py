"""Import of mentors, keyed by email address."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session, col, delete, select

from webapp.core.db import id_of
from webapp.directory.importing.columns import Column, parse_bool, parse_email, parse_float, parse_int
from webapp.directory.importing.lookups import (
    LAT_RANGE,
    LON_RANGE,
    Lookups,
    coordinate_errors,
    set_place,
    upsert_rows,
)
from webapp.directory.models import Mentor, MentorIndustry

DEFAULT_FIT = 100


def parse_industries(text: str) -> list[tuple[str, int]]:
    """'C29:100; C28:60' (or with spaces, commas) -> [('C29', 100), ('C28', 60)]; fit defaults to 100."""
    items = []
    for part in filter(None, (p.strip() for p in re.split(r"[;,/\n]", text))):
        match = re.fullmatch(r"(.+?)\s*(?:[:=]\s*|\s+)(\d+)", part)
        code, fit = (match.group(1), int(match.group(2))) if match else (part, DEFAULT_FIT)
        if not 1 <= fit <= 100:
            raise ValueError(f"fit {fit} for {code} is not between 1 and 100")
        items.append((code, fit))
    if not items:
        raise ValueError("lists no industry")
    return items


COLUMNS = [
    Column("email", ("이메일", "e-mail"), parse_email, required=True),
    Column("name", ("mentor", "이름", "성명", "멘토명"), required=True),
    Column("phone", ("전화번호", "연락처"), default=""),
    Column("municipality", ("home", "city", "시군", "거주지"), required=True),
    Column("address", ("주소",), default=""),
    Column("lat", ("latitude", "위도"), parse_float(*LAT_RANGE)),
    Column("lon", ("longitude", "경도"), parse_float(*LON_RANGE)),
    Column("capacity", ("max companies", "수용기업수", "담당가능기업수"), parse_int(0, 50), default=3),
    Column("industries", ("industry", "업종", "전문업종"), parse_industries, required=True),
    Column("active", ("활동", "활동여부"), parse_bool, default=True),
]


def resolve(session: Session, rows: list[tuple[int, dict[str, Any]]]) -> list[str]:
    """Check references and uniqueness across the file and the database; fills ids in place."""
    lookups = Lookups(session)
    errors: list[str] = []
    first_row_of: dict[str, int] = {}
    by_name_phone = {(m.name.strip().lower(), m.phone): m for m in session.exec(select(Mentor)) if m.phone}
    for number, values in rows:
        if values.get("municipality"):
            try:
                values["municipality"] = lookups.municipality(values["municipality"])
            except ValueError as exc:
                errors.append(f"row {number}, municipality: {exc}")
        resolved = {}
        for code, fit in values.get("industries") or []:
            try:
                industry = lookups.industry(code)
            except ValueError as exc:
                errors.append(f"row {number}, industries: {exc}")
                continue
            if industry.code in resolved:
                errors.append(f"row {number}, industries: {industry.code} is listed twice")
            resolved[industry.code] = fit
        values["industries"] = resolved
        errors.extend(coordinate_errors(number, values))
        email = values.get("email")
        if not email:
            continue
        if email in first_row_of:
            errors.append(f"row {number}, email: {email} already appears in row {first_row_of[email]}")
            continue
        first_row_of[email] = number
        twin = by_name_phone.get(((values.get("name") or "").strip().lower(), values.get("phone") or ""))
        if twin is not None and twin.email != email:
            errors.append(
                f"row {number}, email: {values['name']!r} with phone {values['phone']} is already "
                f"registered as {twin.email}"
            )
    return errors


def apply(session: Session, rows: list[tuple[int, dict[str, Any]]]) -> tuple[int, int]:
    """Insert new mentors and update known ones (their industries replaced); returns (created, updated)."""

    def fill(mentor: Mentor, v: dict[str, Any]) -> None:
        mentor.name = v["name"]
        mentor.phone = v["phone"]
        set_place(mentor, v)
        mentor.capacity = v["capacity"]
        mentor.active = v["active"]
        session.add(mentor)
        session.flush()
        session.exec(delete(MentorIndustry).where(col(MentorIndustry.mentor_id) == mentor.id))
        for code, fit in v["industries"].items():
            session.add(MentorIndustry(mentor_id=id_of(mentor), industry_code=code, fit=fit))

    return upsert_rows(session, Mentor, "email", rows, fill)
