"""Companies and mentors: list (with the pages' filters), get, create and update."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, request, url_for
from sqlmodel import col, select

from webapp.accounts.models import Role
from webapp.api import serialize
from webapp.api.base import MAX_PER_PAGE, bp, int_arg, invalid, principal, require
from webapp.core.audit import Entity, audit
from webapp.core.request_db import db
from webapp.directory.models import CompanyStatus
from webapp.directory.queries import (
    company_filters,
    get_visible,
    mentor_filters,
    mentor_loads,
    paginate,
    visible_assignments,
    visible_companies,
    visible_mentors,
)
from webapp.directory.records import KEYS, MODELS, RecordInvalid, field_names, find, save
from webapp.matching.models import Assignment, AssignmentState

FILTERS: dict[str, dict[str, Any]] = {
    "companies": {
        "q": None,
        "status": tuple(s.value for s in CompanyStatus),
        "municipality": "int",
        "industry": None,
        "matched": ("yes", "no"),
    },
    "mentors": {"q": None, "municipality": "int", "industry": None, "active": ("yes", "no")},
}


def _filters(kind: str) -> dict[str, str]:
    args = {}
    for name, allowed in FILTERS[kind].items():
        value = request.args.get(name)
        if value is None:
            continue
        if allowed == "int":
            int_arg(name, 0)
        elif allowed and value not in allowed:
            abort(400, f"{name} must be one of {', '.join(allowed)}")
        args[name] = value
    return args


def _statement(kind: str):
    return visible_companies(principal()) if kind == "companies" else visible_mentors(principal())


def _to_json(kind: str, records: list) -> list[dict]:
    session = db()
    if kind == "companies":
        ids = [c.id for c in records]
        mentor_of = dict(
            session.exec(
                select(Assignment.company_id, Assignment.mentor_id).where(
                    Assignment.state == AssignmentState.approved, col(Assignment.company_id).in_(ids)
                )
            ).all()
        )
        return [serialize.company(session, c, mentor_of.get(c.id)) for c in records]
    loads = mentor_loads(session)
    with_home = principal().role != Role.company
    return [serialize.mentor(session, m, loads.get(m.id, 0), with_home=with_home) for m in records]


def _body(kind: str, creating: bool) -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "the body must be a JSON object")
    allowed = set(field_names(kind)) - (set() if creating else {KEYS[kind]})
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise RecordInvalid({name: "is not a field of this record" for name in unknown})
    return data


def _invalid(exc: RecordInvalid):
    return invalid(exc.errors, "the record was not saved")


@bp.get("/<any(companies, mentors):kind>")
def list_records(kind: str):
    page = paginate(
        db(),
        (company_filters if kind == "companies" else mentor_filters)(_statement(kind), _filters(kind)),
        int_arg("page", 1),
        int_arg("per_page", 25, MAX_PER_PAGE),
    )
    return jsonify(items=_to_json(kind, page.items), total=page.total, page=page.number, pages=page.pages)


@bp.get("/<any(companies, mentors):kind>/<id:record_id>")
def get_record(kind: str, record_id: int):
    record = get_visible(db(), _statement(kind), MODELS[kind], record_id)
    if record is None:
        abort(404, f"no such {kind[:-1]}")
    return jsonify(_to_json(kind, [record])[0])


@bp.post("/<any(companies, mentors):kind>")
def create_record(kind: str):
    require(Role.coordinator)
    try:
        record = save(db(), kind, _body(kind, creating=True))
    except RecordInvalid as exc:
        return _invalid(exc)
    audit(db(), principal().id, "created", Entity(kind), record.id, via="api")
    db().commit()
    response = jsonify(_to_json(kind, [record])[0])
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_record", kind=kind, record_id=record.id)
    return response


@bp.patch("/<any(companies, mentors):kind>/<id:record_id>")
def update_record(kind: str, record_id: int):
    require(Role.coordinator)
    record = find(db(), kind, record_id)
    if record is None:
        abort(404, f"no such {kind[:-1]}")
    try:
        record = save(db(), kind, _body(kind, creating=False), existing=record)
    except RecordInvalid as exc:
        return _invalid(exc)
    audit(db(), principal().id, "updated", Entity(kind), record.id, via="api")
    db().commit()
    return jsonify(_to_json(kind, [record])[0])


@bp.get("/assignments")
def list_assignments():
    statement = visible_assignments(principal()).order_by(col(Assignment.id))
    page = paginate(db(), statement, int_arg("page", 1), int_arg("per_page", 25, MAX_PER_PAGE))
    return jsonify(
        items=[serialize.assignment(a) for a in page.items],
        total=page.total,
        page=page.number,
        pages=page.pages,
    )


@bp.get("/me")
def me():
    p = principal()
    return jsonify(id=p.id, email=p.email, role=p.role, mentor_id=p.mentor_id, company_id=p.company_id)
