"""Adding and editing companies and mentors (forms and API) with exactly the import's rules.

A form or JSON body is validated as one spreadsheet row by the importer's own column parsers
and reference checks, then written by the importer's upsert, so a record is accepted from a
page or the API exactly when it would be accepted from a spreadsheet. The key (business
registration number, mentor email) identifies the record and cannot change once created.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from webapp.core.clock import utcnow
from webapp.core.db import get_existing
from webapp.directory.importing import IMPORTERS
from webapp.directory.importing.columns import parse_row
from webapp.directory.importing.problems import Problem
from webapp.directory.models import Company, CompanyStatus, Industry, Mentor, MentorIndustry, Municipality

KEYS = {"companies": "business_reg_no", "mentors": "email"}
MODELS: dict[str, type[Company] | type[Mentor]] = {"companies": Company, "mentors": Mentor}


class RecordInvalid(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def find(session: Session, kind: str, record_id: int) -> Company | Mentor | None:
    """The company ("companies") or mentor ("mentors") with this id."""
    return session.get(Company, record_id) if kind == "companies" else session.get(Mentor, record_id)


def field_names(kind: str) -> list[str]:
    return [column.name for column in IMPORTERS[kind].COLUMNS]


def _text(value: Any) -> str:
    """A JSON value as the text a spreadsheet cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):  # mentor industries {"C29": 100}
        return "; ".join(f"{code}:{fit}" for code, fit in value.items())
    return str(value)


def as_fields(session: Session, kind: str, record: Company | Mentor) -> dict[str, str]:
    """A record's current values as form text (what editing starts from)."""
    municipality = get_existing(session, Municipality, record.municipality_id)
    common = {
        "municipality": municipality.name_en,
        "address": record.address,
        "lat": str(record.lat),
        "lon": str(record.lon),
    }
    if isinstance(record, Company):
        return {
            **common,
            "business_reg_no": record.business_reg_no,
            "name": record.name,
            "industry": record.industry_code,
            "size": record.size,
            "employees": _text(record.employees),
            "priority": str(record.priority),
            "status": record.status,
            "joined_on": record.joined_on.isoformat(),
            "contact_name": record.contact_name,
            "contact_email": record.contact_email,
            "contact_phone": record.contact_phone,
        }
    fits = session.exec(
        select(MentorIndustry)
        .where(MentorIndustry.mentor_id == record.id)
        .order_by(col(MentorIndustry.fit).desc(), col(MentorIndustry.industry_code))
    )
    return {
        **common,
        "email": record.email,
        "name": record.name,
        "phone": record.phone,
        "capacity": str(record.capacity),
        "active": _text(record.active),
        "industries": _text({row.industry_code: row.fit for row in fits}),
    }


def _by_field(problems: list[Problem]) -> dict[str, str]:
    """The first problem of each field (lat/lon problems go to lat)."""
    found: dict[str, str] = {}
    for problem in problems:
        found.setdefault((problem.column or "").split("/")[0], problem.message)
    return found


def save(session: Session, kind: str, data: Mapping[str, Any], existing: Company | Mentor | None = None):
    """Create (existing None) or update a record from `data`; raises RecordInvalid(field errors).

    For an update, fields missing from `data` keep their current value. The caller commits.
    """
    importer, key = IMPORTERS[kind], KEYS[kind]
    fields = as_fields(session, kind, existing) if existing is not None else {}
    fields.update({name: _text(value) for name, value in data.items() if name in field_names(kind)})
    if existing is not None:
        fields[key] = getattr(existing, key)
    names = field_names(kind)
    values, row_errors = parse_row(
        1, [fields.get(n, "") for n in names], importer.COLUMNS, {n: i for i, n in enumerate(names)}
    )
    errors = _by_field(row_errors)
    errors = {**_by_field(importer.resolve(session, [(1, values)])), **errors}
    model = MODELS[kind]
    if (
        existing is None
        and values.get(key)
        and session.exec(select(model).where(getattr(model, key) == values[key])).first()
    ):
        errors.setdefault(key, _("Already registered."))
    if errors:
        raise RecordInvalid(errors)
    importer.apply(session, [(1, values)])
    session.flush()
    return session.exec(select(model).where(getattr(model, key) == values[key])).one()


def deactivate(session: Session, record: Company | Mentor) -> None:
    """A company leaves the program (withdrawn); a mentor stops taking companies."""
    if isinstance(record, Company):
        record.status = CompanyStatus.withdrawn
    else:
        record.active = False
    record.updated_at = utcnow()
    session.add(record)


def choices(session: Session) -> tuple[list[Municipality], list[Industry]]:
    return (
        list(session.exec(select(Municipality).order_by(col(Municipality.name_ko)))),
        list(session.exec(select(Industry).order_by(col(Industry.code)))),
    )
