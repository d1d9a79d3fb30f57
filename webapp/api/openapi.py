"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json.

Input fields are built from the importer's columns (via webapp.directory.records) and the solver
parameters from webapp.matching.service, so the document cannot drift from what the API accepts;
tests/web/test_web_api_schema.py runs schemathesis against it.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from flask import jsonify

from webapp.accounts.models import Role
from webapp.api import engagements_doc, outcomes_doc, programs_doc
from webapp.api.base import bp
from webapp.api.doc_parts import BOOLEAN, ID, INTEGER, NUMBER, PAGING, PATH_ID, STRING
from webapp.api.doc_parts import filled as _filled
from webapp.api.doc_parts import nullable as _nullable
from webapp.api.doc_parts import obj as _object
from webapp.api.doc_parts import operation as _operation
from webapp.api.doc_parts import query as _query
from webapp.api.doc_parts import ref as _ref
from webapp.api.doc_parts import text as _text
from webapp.directory.models import CompanySize, CompanyStatus
from webapp.matching.models import AssignmentState, RunStatus, RunTrigger
from webapp.matching.params import PARAM_LIMITS
from webapp.matching.service import DiffKind
from webapp.visits.models import SlotState
from webapp.visits.workflow import MAX_NOTE


def _values(vocabulary: type[StrEnum]) -> list[str]:
    """The stored values of a state or kind, for an OpenAPI enum."""
    return [member.value for member in vocabulary]


STATUSES = _values(CompanyStatus)
VISIT_STATES = _values(SlotState)
NOTE = {"type": "string", "minLength": 1, "maxLength": MAX_NOTE, "pattern": r"\S"}


COMPANY_INPUT = {
    "business_reg_no": {
        "type": "string",
        "maxLength": 20,
        "description": "10 digits, 123-45-67890 or 1234567890, with a valid check digit",
    },
    "name": _text(120),
    "industry": {"type": "string", "maxLength": 120, "description": "KSIC division: C29, 29 or its name"},
    "municipality": {
        "type": "string",
        "maxLength": 40,
        "description": "one of the 14: Jeonju, 전주시 or 전주",
    },
    "address": _text(200),
    "lat": _nullable({"type": "number", "description": "with lon, or neither: the municipality office"}),
    "lon": _nullable(NUMBER),
    "size": {"type": "string", "enum": _values(CompanySize)},
    "employees": _nullable({"type": "integer", "minimum": 0, "maximum": 100000}),
    "priority": {"type": "integer", "minimum": 1, "maximum": 5},
    "status": {"type": "string", "enum": STATUSES},
    "joined_on": _nullable({"type": "string", "format": "date"}),
    "contact_name": _text(80),
    "contact_email": _text(254),
    "contact_phone": _text(40),
    **engagements_doc.COMPANY_INPUT,
}
MENTOR_INPUT = {
    "email": {"type": "string", "format": "email", "maxLength": 254},
    "name": _text(80),
    "phone": _text(40),
    "municipality": COMPANY_INPUT["municipality"],
    "address": _text(200),
    "lat": COMPANY_INPUT["lat"],
    "lon": COMPANY_INPUT["lon"],
    "capacity": {"type": "integer", "minimum": 0, "maximum": 50},
    "industries": {
        "type": "object",
        "minProperties": 1,
        "description": "KSIC code -> fit (1-100)",
        "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 100},
    },
    "active": BOOLEAN,
    **engagements_doc.MENTOR_INPUT,
}
REQUIRED_INPUT = {
    "companies": ["business_reg_no", "name", "industry", "municipality"],
    "mentors": ["email", "name", "municipality", "industries"],
}
INPUTS = {"companies": COMPANY_INPUT, "mentors": MENTOR_INPUT}
KEY = {"companies": "business_reg_no", "mentors": "email"}

SCHEMAS = {
    "Error": _object(
        {"error": STRING, "message": STRING, "fields": {"type": "object", "additionalProperties": STRING}},
        required=["error", "message"],
    ),
    "Me": _object(
        {
            "id": INTEGER,
            "email": STRING,
            "role": {"type": "string", "enum": _values(Role)},
            "mentor_id": _nullable(INTEGER),
            "company_id": _nullable(INTEGER),
        }
    ),
    "Company": _object(
        {
            "id": INTEGER,
            "name": STRING,
            "business_reg_no": STRING,
            "industry": STRING,
            "municipality": STRING,
            "municipality_id": INTEGER,
            "address": STRING,
            "lat": NUMBER,
            "lon": NUMBER,
            "size": {"type": "string", "enum": _values(CompanySize)},
            "employees": _nullable(INTEGER),
            "priority": INTEGER,
            "status": {"type": "string", "enum": STATUSES},
            "joined_on": {"type": "string", "format": "date"},
            "contact_name": STRING,
            "contact_email": STRING,
            "contact_phone": STRING,
            "mentor_id": _nullable({**INTEGER, "description": "the mentor in force"}),
        }
    ),
    "Mentor": _object(
        {
            "id": INTEGER,
            "name": STRING,
            "email": STRING,
            "phone": STRING,
            "municipality": STRING,
            "municipality_id": INTEGER,
            "address": STRING,
            "lat": NUMBER,
            "lon": NUMBER,
            "capacity": INTEGER,
            "active": BOOLEAN,
            "load": {**INTEGER, "description": "companies assigned in force"},
            "industries": {"type": "object", "additionalProperties": INTEGER},
        },
        required=[
            "id",
            "name",
            "email",
            "phone",
            "municipality",
            "municipality_id",
            "capacity",
            "active",
            "load",
            "industries",
        ],
        description="address, lat and lon (the mentor's home) are left out for companies",
    ),
    "Assignment": _object(
        {
            "id": INTEGER,
            "run_id": INTEGER,
            "company_id": INTEGER,
            "mentor_id": INTEGER,
            "value": INTEGER,
            "distance_km": NUMBER,
            "fit": INTEGER,
            "reasons": {"type": "array", "items": STRING},
            "state": {"type": "string", "enum": _values(AssignmentState)},
            "created_at": {"type": "string", "format": "date-time"},
        }
    ),
    "Run": _object(
        {
            "id": INTEGER,
            "trigger": {"type": "string", "enum": _values(RunTrigger)},
            "status": {"type": "string", "enum": _values(RunStatus)},
            "created_at": {"type": "string", "format": "date-time"},
            "started_at": _nullable({"type": "string", "format": "date-time"}),
            "finished_at": _nullable({"type": "string", "format": "date-time"}),
            "params": {"type": "object", "additionalProperties": INTEGER},
            "solver_status": _nullable(STRING),
            "objective": _nullable(INTEGER),
            "bound": _nullable(INTEGER),
            "unassigned": {"type": "array", "items": _object({"company_id": INTEGER, "reason": STRING})},
            "error": _nullable(STRING),
            "approved_by_id": _nullable(INTEGER),
            "approved_at": _nullable({"type": "string", "format": "date-time"}),
        }
    ),
    "DiffRow": _object(
        {
            "company_id": INTEGER,
            "company_name": STRING,
            "kind": {"type": "string", "enum": _values(DiffKind)},
            "old_mentor_id": _nullable(INTEGER),
            "old_mentor_name": _nullable(STRING),
            "new_mentor_id": _nullable(INTEGER),
            "new_mentor_name": _nullable(STRING),
            "reasons": {"type": "array", "items": STRING},
        }
    ),
    "RunDetail": {
        "allOf": [
            _ref("Run"),
            _object(
                {
                    "assignments": {"type": "array", "items": _ref("Assignment")},
                    "diff": {"type": "array", "items": _ref("DiffRow")},
                }
            ),
        ]
    },
    "RunParams": _object(
        {
            name: {"type": ["integer", "null"], "minimum": low, "maximum": high}
            for name, (low, high) in PARAM_LIMITS.items()
        },
        required=[],
        additionalProperties=False,
    ),
    "Visit": _object(
        {
            "id": INTEGER,
            "mentor_id": INTEGER,
            "company_id": INTEGER,
            "assignment_id": _nullable(INTEGER),
            "starts_at": {"type": "string", "format": "date-time"},
            "ends_at": {"type": "string", "format": "date-time"},
            "state": {"type": "string", "enum": VISIT_STATES},
            "note": STRING,
            "reason_code": {
                **STRING,
                "description": "why an offer lapsed or a visit ended: other_confirmed, company_declined, "
                "day_off, closure, cancelled, reschedule (empty otherwise)",
            },
            "closed_by": {**STRING, "description": "who ended it: mentor, company, coordinator (or empty)"},
            "report": STRING,
        }
    ),
    "VisitList": _object({"items": {"type": "array", "items": _ref("Visit")}}),
    "VisitCancel": _object(
        {"reason": NOTE, "reschedule": {**BOOLEAN, "description": "ask to reschedule"}},
        ["reason"],
        additionalProperties=False,
    ),
    "VisitDone": _object({"report": NOTE}, additionalProperties=False),
    "VisitDecline": _object(
        {"note": {**NOTE, "description": "which times would suit the company"}}, additionalProperties=False
    ),
}
for _kind, _name in (("companies", "Company"), ("mentors", "Mentor")):
    _inputs = {
        k: _filled(v) if k in REQUIRED_INPUT[_kind] and v.get("type") == "string" else v
        for k, v in INPUTS[_kind].items()
    }
    SCHEMAS[f"{_name}Create"] = _object(_inputs, REQUIRED_INPUT[_kind], additionalProperties=False)
    SCHEMAS[f"{_name}Update"] = _object(
        {k: v for k, v in _inputs.items() if k != KEY[_kind]}, [], additionalProperties=False
    )
for _name in ("Company", "Mentor", "Assignment", "Run", "Visit"):
    SCHEMAS[f"{_name}Page"] = _object(
        {
            "items": {"type": "array", "items": _ref(_name)},
            "total": INTEGER,
            "page": INTEGER,
            "pages": INTEGER,
        }
    )


FILTERS = {
    "companies": (
        _query("q", STRING, "name, contact, address or business number contains"),
        _query("status", {"type": "string", "enum": STATUSES}),
        _query("municipality", ID, "municipality id"),
        _query("industry", STRING, "KSIC code, e.g. C29"),
        _query("matched", {"type": "string", "enum": ["yes", "no"]}, "has a mentor in force"),
    ),
    "mentors": (
        _query("q", STRING, "name, email or phone contains"),
        _query("municipality", ID, "municipality id"),
        _query("industry", STRING, "KSIC code, e.g. C29"),
        _query("active", {"type": "string", "enum": ["yes", "no"]}),
    ),
}


def _paths() -> dict:
    paths: dict = {
        "/me": {"get": _operation("The token's user", (200, "Me", "the user"), ())},
        "/assignments": {
            "get": _operation(
                "Assignments in force (a mentor's or a company's own only; none for evaluators)",
                (200, "AssignmentPage", "a page of assignments"),
                (400,),
                params=PAGING,
            )
        },
        "/runs": {
            "get": _operation(
                "Matching runs, newest first (coordinators)",
                (200, "RunPage", "a page of runs"),
                (400, 403),
                params=PAGING,
            ),
            "post": _operation(
                "Run matching now and wait for the proposal (coordinators)",
                (201, "RunDetail", "the run: proposed, or failed with its error"),
                (400, 403, 409, 422),
                body=("RunParams", False),
            ),
        },
        "/runs/{id}": {
            "get": _operation(
                "A run with its assignments and the diff against those in force (coordinators)",
                (200, "RunDetail", "the run"),
                (403, 404),
                params=(PATH_ID,),
            )
        },
    }
    for action in ("approve", "discard"):
        paths[f"/runs/{{id}}/{action}"] = {
            "post": _operation(
                f"{action.title()} a proposed run (coordinators)",
                (200, "RunDetail", "the run"),
                (403, 404, 409),
                params=(PATH_ID,),
            )
        }
    paths.update(_visit_paths())
    for kind, name in (("companies", "Company"), ("mentors", "Mentor")):
        paths[f"/{kind}"] = {
            "get": _operation(
                f"{name}s the user may see (a mentor's or a company's own; none for evaluators), "
                "with filters",
                (200, f"{name}Page", "a page"),
                (400,),
                params=FILTERS[kind] + PAGING,
            ),
            "post": _operation(
                f"Add a {name.lower()} (coordinators)",
                (201, name, "created"),
                (400, 403, 422),
                body=(f"{name}Create", True),
            ),
        }
        paths[f"/{kind}/{{id}}"] = {
            "get": _operation(f"One {name.lower()}", (200, name, "the record"), (404,), params=(PATH_ID,)),
            "patch": _operation(
                f"Change a {name.lower()}; fields left out keep their value; "
                "null or empty means the default (coordinators)",
                (200, name, "the record"),
                (400, 403, 404, 422),
                params=(PATH_ID,),
                body=(f"{name}Update", True),
            ),
        }
    return paths


def _visit_paths() -> dict:
    one = (200, "Visit", "the visit")
    return {
        "/visits": {
            "get": _operation(
                "Visits (offered, confirmed, done, ...), the user's own only",
                (200, "VisitPage", "a page of visits"),
                (400,),
                params=(_query("state", {"type": "string", "enum": VISIT_STATES}), *PAGING),
            )
        },
        "/visits/{id}": {"get": _operation("One visit", one, (404,), params=(PATH_ID,))},
        "/visits/{id}/confirm": {
            "post": _operation(
                "Confirm an offered slot (companies); 409 'that slot was just taken' when the mentor got an "
                "overlapping visit meanwhile",
                one,
                (404, 409),
                params=(PATH_ID,),
            )
        },
        "/visits/{id}/cancel": {
            "post": _operation(
                "Cancel a confirmed visit, or ask to reschedule it, with a reason",
                one,
                (400, 404, 409, 422),
                params=(PATH_ID,),
                body=("VisitCancel", True),
            )
        },
        "/visits/{id}/done": {
            "post": _operation(
                "Mark a visit that has started done, with a short report (mentors)",
                one,
                (400, 404, 409, 422),
                params=(PATH_ID,),
                body=("VisitDone", True),
            )
        },
        "/visits/decline": {
            "post": _operation(
                "Decline every offered slot with a note (companies); new slots are proposed",
                (200, "VisitList", "the declined slots"),
                (400, 403, 409, 422),
                body=("VisitDecline", True),
            )
        },
    }


@cache
def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Jeonbuk smart-factory mentoring API",
            "version": "1",
            "description": "Every user (coordinator, mentor, company, evaluator) can create a token on "
            "their account page; send it as `Authorization: Bearer TOKEN`. A token sees and does what "
            "its user's pages do: coordinators everything; mentors, companies and evaluators only their "
            "own records (another's id is 404) and only their role's changes (else 403). Each "
            "operation's summary names who may use it.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {**_paths(), **engagements_doc.PATHS, **outcomes_doc.PATHS, **programs_doc.PATHS},
        "components": {
            "schemas": {**SCHEMAS, **engagements_doc.SCHEMAS, **outcomes_doc.SCHEMAS, **programs_doc.SCHEMAS},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
