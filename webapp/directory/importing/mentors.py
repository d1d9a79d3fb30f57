"""Import of mentors, keyed by email address."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, col, delete, select

from webapp.core.db import id_of
from webapp.directory.importing.columns import (
    Column,
    parse_bool,
    parse_email,
    parse_float,
    parse_int,
    with_lengths,
)
from webapp.directory.importing.lookups import (
    LAT_RANGE,
    LON_RANGE,
    Lookups,
    coordinate_errors,
    set_place,
    upsert_rows,
)
from webapp.directory.importing.problems import Problem
from webapp.directory.models import Mentor, MentorIndustry

DEFAULT_FIT = 100


def parse_industries(text: str) -> list[tuple[str, int]]:
    """'C29:100; C28:60' (or with spaces, commas) -> [('C29', 100), ('C28', 60)]; fit defaults to 100."""
    items = []
    for part in filter(None, (p.strip() for p in re.split(r"[;,/\n]", text))):
        match = re.fullmatch(r"(.+?)\s*(?:[:=]\s*|\s+)(\d+)", part)
        code, fit = (match.group(1), int(match.group(2))) if match else (part, DEFAULT_FIT)
        if not 1 <= fit <= 100:
            raise ValueError(_("Fit %(fit)s for %(code)s is not between 1 and 100.", fit=fit, code=code))
        items.append((code, fit))
    if not items:
        raise ValueError(_("Lists no industry."))
    return items


COLUMNS = with_lengths(
    Mentor,
    [
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
    ],
)


def resolve(session: Session, rows: list[tuple[int, dict[str, Any]]]) -> list[Problem]:
    """Check references and uniqueness across the file and the database; fills ids in place."""
    lookups = Lookups(session)
    problems: list[Problem] = []
    first_row_of: dict[str, int] = {}
    for number, values in rows:
        if values.get("municipality"):
            try:
                values["municipality"] = lookups.municipality(values["municipality"])
            except ValueError as exc:
                problems.append(Problem(str(exc), number, "municipality"))
        resolved = {}
        for code, fit in values.get("industries") or []:
            try:
                industry = lookups.industry(code)
            except ValueError as exc:
                problems.append(Problem(str(exc), number, "industries"))
                continue
            if industry.code in resolved:
                problems.append(
                    Problem(_("%(code)s is listed twice.", code=industry.code), number, "industries")
                )
            resolved[industry.code] = fit
        values["industries"] = resolved
        problems.extend(coordinate_errors(number, values))
        email = values.get("email")
        if not email:
            continue
        if email in first_row_of:
            message = _("%(value)s already appears in row %(row)s.", value=email, row=first_row_of[email])
            problems.append(Problem(message, number, "email"))
            continue
        first_row_of[email] = number
    problems.extend(_name_phone_twins(session, rows))
    return problems


def _name_phone_twins(session: Session, rows: list[tuple[int, dict[str, Any]]]) -> list[Problem]:
    """Rows whose mentor would share name and phone with another email once the file is in,
    judged on the result (the database with the file's rows applied), so a file that was
    accepted is accepted again."""
    after = {m.email: ((m.name or "").strip().lower(), m.phone) for m in session.exec(select(Mentor))}
    for _number, values in rows:
        if values.get("email") and values.get("name"):
            after[values["email"]] = (values["name"].strip().lower(), values.get("phone") or "")
    emails_of: dict[tuple[str, str], list[str]] = {}
    for email, key in after.items():
        if key[1]:  # without a phone number, a shared name is no sign of a duplicate
            emails_of.setdefault(key, []).append(email)
    problems = []
    for number, values in rows:
        email = values.get("email") or ""
        if email not in after or after[email] not in emails_of:
            continue
        others = [e for e in emails_of[after[email]] if e != email]
        if others:
            message = _(
                "%(name)s with phone %(phone)s is also registered as %(emails)s.",
                name=repr(values["name"]),
                phone=values["phone"],
                emails=", ".join(others),
            )
            problems.append(Problem(message, number, "email"))
    return problems


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
