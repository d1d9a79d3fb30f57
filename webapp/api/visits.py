"""Visits: list and get (a mentor's or a company's own), confirm, decline, cancel or ask to
reschedule, mark done; the same workflow (webapp.visits.workflow) as the pages."""

from __future__ import annotations

from flask import abort, jsonify, request
from sqlmodel import col

from webapp.accounts.models import Role
from webapp.api import serialize
from webapp.api.base import MAX_PER_PAGE, bp, int_arg, invalid, json_object, principal, require
from webapp.core.request_db import db
from webapp.directory.queries import paginate
from webapp.visits import workflow as visits
from webapp.visits.models import SlotState, VisitSlot
from webapp.visits.offering import offer_now
from webapp.visits.queries import visible_visit, visible_visits

STATES = [state.value for state in SlotState]


def _text(body: dict, name: str) -> str:
    """A required short text field; else the request ends with 422 naming it."""
    value = body.get(name)
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > visits.MAX_NOTE:
        problem = f"a text of 1 to {visits.MAX_NOTE} characters is required"
        abort(invalid({name: problem}, "nothing was changed"))
    return value


def _act(action):
    """Run a workflow action on a visit: LookupError is 404, a refused change 409."""
    try:
        result = action()
    except LookupError:
        abort(404, "no such visit")
    except visits.VisitError as exc:
        abort(409, str(exc))
    return jsonify(serialize.visit(result))


@bp.get("/visits")
def visits_list():
    statement = visible_visits(principal()).order_by(col(VisitSlot.starts_at), col(VisitSlot.id))
    if state := request.args.get("state"):
        if state not in STATES:
            abort(400, f"state must be one of {', '.join(STATES)}")
        statement = statement.where(VisitSlot.state == state)
    page = paginate(db(), statement, int_arg("page", 1), int_arg("per_page", 25, MAX_PER_PAGE))
    return jsonify(
        items=[serialize.visit(v) for v in page.items], total=page.total, page=page.number, pages=page.pages
    )


@bp.get("/visits/<id:slot_id>")
def visit_get(slot_id: int):
    slot = visible_visit(db(), principal(), slot_id)
    if slot is None:
        abort(404, "no such visit")
    return jsonify(serialize.visit(slot))


@bp.post("/visits/<id:slot_id>/confirm")
def visit_confirm(slot_id: int):
    return _act(lambda: visits.confirm_slot(db(), slot_id, principal()))


@bp.post("/visits/<id:slot_id>/cancel")
def visit_cancel(slot_id: int):
    body = json_object()
    reason = _text(body, "reason")
    reschedule = body.get("reschedule", False)
    if not isinstance(reschedule, bool):
        abort(400, "reschedule must be true or false")
    return _act(lambda: visits.cancel_visit(db(), slot_id, reason, principal(), reschedule=reschedule))


@bp.post("/visits/<id:slot_id>/done")
def visit_done(slot_id: int):
    report = _text(json_object(), "report")
    return _act(lambda: visits.mark_done(db(), slot_id, report, principal()))


@bp.post("/visits/decline")
def visits_decline():
    require(Role.company)
    note = _text(json_object(), "note")
    try:
        declined = visits.decline_offers(db(), principal().company_id, note, principal())
    except visits.VisitError as exc:
        abort(409, str(exc))
    offer_now()  # new proposals; on failure the scheduler makes them on its next poll
    return jsonify(items=[serialize.visit(v) for v in declined])
