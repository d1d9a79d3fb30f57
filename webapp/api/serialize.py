"""Database rows as the JSON objects the OpenAPI document describes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from webapp.core.clock import aware
from webapp.core.db import get_existing
from webapp.directory.models import Company, Mentor, MentorIndustry, Municipality
from webapp.matching.models import Assignment, MatchingRun
from webapp.matching.service import DiffRow, parse_ref
from webapp.visits.models import VisitSlot


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return aware(moment).isoformat()


def company(session: Session, c: Company, mentor_id: int | None) -> dict:
    return {
        "id": c.id,
        "name": c.name,
        "business_reg_no": c.business_reg_no,
        "industry": c.industry_code,
        "municipality": get_existing(session, Municipality, c.municipality_id).name_en,
        "municipality_id": c.municipality_id,
        "address": c.address,
        "lat": c.lat,
        "lon": c.lon,
        "size": c.size,
        "employees": c.employees,
        "priority": c.priority,
        "status": c.status,
        "joined_on": c.joined_on.isoformat(),
        "contact_name": c.contact_name,
        "contact_email": c.contact_email,
        "contact_phone": c.contact_phone,
        "mentor_id": mentor_id,
    }


# A mentor's home: for coordinators (and the mentor), never for the companies they visit.
MENTOR_HOME = ("address", "lat", "lon")


def mentor(session: Session, m: Mentor, load: int, *, with_home: bool = True) -> dict:
    fits = session.exec(select(MentorIndustry).where(MentorIndustry.mentor_id == m.id))
    data = {
        "id": m.id,
        "name": m.name,
        "email": m.email,
        "phone": m.phone,
        "municipality": get_existing(session, Municipality, m.municipality_id).name_en,
        "municipality_id": m.municipality_id,
        "address": m.address,
        "lat": m.lat,
        "lon": m.lon,
        "capacity": m.capacity,
        "active": m.active,
        "load": load,
        "industries": {row.industry_code: row.fit for row in fits},
    }
    return data if with_home else {k: v for k, v in data.items() if k not in MENTOR_HOME}


def assignment(a: Assignment) -> dict:
    return {
        "id": a.id,
        "run_id": a.run_id,
        "company_id": a.company_id,
        "mentor_id": a.mentor_id,
        "value": a.value,
        "distance_km": a.distance_km,
        "fit": a.fit,
        "reasons": list(a.reasons),
        "state": a.state,
        "created_at": iso(a.created_at),
    }


def run(r: MatchingRun) -> dict:
    return {
        "id": r.id,
        "trigger": r.trigger,
        "status": r.status,
        "created_at": iso(r.created_at),
        "started_at": iso(r.started_at),
        "finished_at": iso(r.finished_at),
        "params": dict(r.params),
        "solver_status": r.solver_status,
        "objective": r.objective,
        "bound": r.bound,
        "unassigned": [
            {"company_id": parse_ref(row["company"]), "reason": row.get("reason", "")} for row in r.unassigned
        ],
        "error": r.error,
        "approved_by_id": r.approved_by_id,
        "approved_at": iso(r.approved_at),
    }


def diff_row(row: DiffRow) -> dict:
    return {
        "company_id": row.company_id,
        "company_name": row.company_name,
        "kind": row.kind,
        "old_mentor_id": row.old_mentor_id,
        "old_mentor_name": row.old_mentor_name,
        "new_mentor_id": row.new_mentor_id,
        "new_mentor_name": row.new_mentor_name,
        "reasons": list(row.reasons),
    }


def visit(v: VisitSlot) -> dict:
    return {
        "id": v.id,
        "mentor_id": v.mentor_id,
        "company_id": v.company_id,
        "assignment_id": v.assignment_id,
        "starts_at": iso(v.starts_at),
        "ends_at": iso(v.ends_at),
        "state": v.state,
        "note": v.note,
        "reason_code": v.reason_code,
        "closed_by": v.closed_by,
        "report": v.report,
    }
