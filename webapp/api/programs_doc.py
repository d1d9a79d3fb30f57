"""The program year's part of the OpenAPI document (webapp/api/programs.py). Vocabularies and
limits come from webapp.programs, so the document cannot drift from what the API accepts."""

from __future__ import annotations

from webapp.api.doc_parts import (
    BOOLEAN,
    INTEGER,
    NUMBER,
    PAGING,
    PATH_ID,
    STRING,
    nullable,
    obj,
    operation,
    query,
    ref,
)
from webapp.programs import checklist, eligibility, inspections
from webapp.programs.application_models import Decision, Eligibility
from webapp.programs.evaluation import DEFAULT_PANEL, MAX_COMMENT, MAX_CONFLICT_REASON, MAX_PANEL, MAX_REASON
from webapp.programs.funnel import STAGES
from webapp.programs.inspection_models import InspectionState, Recommendation
from webapp.programs.models import CohortStatus
from webapp.programs.rubrics import CHECK_SCORES, MAX_ITEMS, MAX_LABEL, WEIGHTS


def _values(vocabulary) -> list[str]:
    return [v.value for v in vocabulary]


DATE = {"type": "string", "format": "date"}
TIME = {"type": "string", "format": "date-time"}
CLOCK = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "description": "HH:MM, Asia/Seoul"}
COUNTS = obj({stage: INTEGER for stage in STAGES})
COHORT_ID = query("cohort", {**INTEGER, "minimum": 1}, "cohort id")
ITEM = obj(
    {
        "key": STRING,
        "ko": STRING,
        "en": STRING,
        "weight": {**INTEGER, "description": "rubric criteria only"},
    },
    required=["key", "ko", "en"],
)
SHEET = obj(
    {
        "items": {"type": "array", "items": ITEM},
        "basis": {**STRING, "description": "send it back when replacing the items"},
        "scored": {**INTEGER, "description": "sheets filled in on these items; from 1 they no longer change"},
    }
)
RECOMMENDATIONS = ["", *_values(Recommendation)]

SCHEMAS = {
    "ProgramCohort": obj(
        {
            "id": INTEGER,
            "name": STRING,
            "year": INTEGER,
            "status": {"type": "string", "enum": _values(CohortStatus)},
            "applications_open_at": nullable(TIME),
            "applications_close_at": nullable(TIME),
            "applications_open": BOOLEAN,
            "rules": obj({"no_other_project": BOOLEAN, "no_tax_arrears": BOOLEAN, "not_closed": BOOLEAN}),
            "tracks": {
                "type": "array",
                "items": obj(
                    {
                        "code": STRING,
                        "name": STRING,
                        "quota": nullable(INTEGER),
                        "max_revenue_krw": nullable({**INTEGER, "description": "revenue must be under it"}),
                        "max_employees": nullable({**INTEGER, "description": "staff must be fewer"}),
                        "first_time_only": BOOLEAN,
                    }
                ),
            },
            "inspection_window": obj(
                {
                    "first_day": nullable(DATE),
                    "last_day": nullable(DATE),
                    "day_start": CLOCK,
                    "day_end": CLOCK,
                    "minutes": INTEGER,
                }
            ),
            "checklist": {
                **SHEET,
                "description": f"items scored {CHECK_SCORES.start}-{CHECK_SCORES.stop - 1} with a note",
            },
            "rubric": {**SHEET, "description": "criteria scored 0-100; the total is the weighted mean"},
        }
    ),
    "Sheet": SHEET,
    "SheetUpdate": obj(
        {
            "items": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_ITEMS,
                "description": "in their order; a known key keeps its item's key, others get new ones",
                "items": obj(
                    {
                        "key": STRING,
                        "ko": {"type": "string", "minLength": 1, "maxLength": MAX_LABEL},
                        "en": {"type": "string", "maxLength": MAX_LABEL},
                        "weight": {"type": "integer", "minimum": WEIGHTS[0], "maximum": WEIGHTS[1]},
                    },
                    required=["ko"],
                ),
            },
            "basis": STRING,
        },
        additionalProperties=False,
    ),
    "Application": obj(
        {
            "id": INTEGER,
            "cohort_id": INTEGER,
            "business_reg_no": STRING,
            "company_name": STRING,
            "representative": STRING,
            "industry": STRING,
            "municipality": STRING,
            "municipality_id": INTEGER,
            "address": STRING,
            "lat": NUMBER,
            "lon": NUMBER,
            "revenue_million_krw": INTEGER,
            "employees": INTEGER,
            "previous_support": BOOLEAN,
            "other_project": BOOLEAN,
            "tax_arrears": BOOLEAN,
            "closed": BOOLEAN,
            "track": STRING,
            "source": {"type": "string", "enum": ["form", "import"]},
            "consent_at": TIME,
            "consent_version": STRING,
            "eligibility": {"type": "string", "enum": _values(Eligibility)},
            "eligibility_reasons": {"type": "array", "items": obj({"code": STRING, "text": STRING})},
            "eligibility_overridden": BOOLEAN,
            "override_note": nullable({**STRING, "description": "coordinators only"}),
            "contact": {
                "anyOf": [obj({"name": STRING, "phone": STRING, "email": STRING}), {"type": "null"}],
                "description": "null for evaluators",
            },
            "score": nullable(
                {**NUMBER, "description": "the committee's mean; coordinators, and the company once decided"}
            ),
            "decision": {"type": "string", "enum": _values(Decision)},
            "decision_reason": nullable({**STRING, "description": "coordinators and the company"}),
            "decided_at": nullable(TIME),
            "company_id": nullable({**INTEGER, "description": "the directory's company once selected"}),
            "created_at": TIME,
            "updated_at": TIME,
        }
    ),
    "EligibilityOverride": obj(
        {
            "eligible": {"type": ["boolean", "null"], "description": "null: back to the cohort's rules"},
            "note": {
                "type": "string",
                "maxLength": eligibility.MAX_NOTE,
                "description": "required with true or false",
            },
        },
        required=["eligible"],
        additionalProperties=False,
    ),
    "DecisionCreate": obj(
        {
            "decision": {"type": "string", "enum": _values(Decision)[1:]},
            "reason": {"type": "string", "minLength": 1, "maxLength": MAX_REASON},
            "expected": {
                "type": "string",
                "enum": _values(Decision),
                "description": "the decision the caller saw; 409 when it changed meanwhile",
            },
        },
        additionalProperties=False,
    ),
    "Inspection": obj(
        {
            "id": INTEGER,
            "cohort_id": INTEGER,
            "application_id": INTEGER,
            "company_name": STRING,
            "address": STRING,
            "lat": NUMBER,
            "lon": NUMBER,
            "pair_id": INTEGER,
            "mentor_ids": {"type": "array", "items": INTEGER},
            "day": DATE,
            "seq": {**INTEGER, "description": "place in the pair's day"},
            "starts_at": TIME,
            "ends_at": TIME,
            "travel_minutes": NUMBER,
            "state": {"type": "string", "enum": _values(InspectionState)},
            "decline_note": STRING,
            "findings": {
                "anyOf": [
                    obj(
                        {
                            "checklist": {
                                "type": "object",
                                "description": "item key -> {score, note}",
                                "additionalProperties": {"type": "object"},
                            },
                            "recommendation": {"type": "string", "enum": RECOMMENDATIONS},
                            "summary": STRING,
                            "checked_at": nullable(TIME),
                            "photos": {
                                "type": "array",
                                "items": obj({"url": STRING, "thumbnail_url": STRING}),
                            },
                        }
                    ),
                    {"type": "null"},
                ],
                "description": "null for companies",
            },
        }
    ),
    "InspectionDecline": obj(
        {"note": {"type": "string", "minLength": 1, "maxLength": inspections.MAX_NOTE, "pattern": r"\S"}},
        additionalProperties=False,
    ),
    "ChecklistUpdate": obj(
        {
            "items": {
                "type": "object",
                "description": "item key -> {score: 1-5 or null, note}",
                "additionalProperties": obj(
                    {
                        "score": {
                            "type": ["integer", "null"],
                            "minimum": CHECK_SCORES.start,
                            "maximum": CHECK_SCORES.stop - 1,
                        },
                        "note": {"type": "string", "maxLength": checklist.MAX_NOTE},
                    },
                    required=[],
                ),
            },
            "recommendation": {"type": "string", "enum": RECOMMENDATIONS},
            "summary": {"type": "string", "maxLength": checklist.MAX_SUMMARY},
            "finish": {**BOOLEAN, "description": "true: every score and the recommendation, then done"},
        },
        required=[],
        additionalProperties=False,
    ),
    "Evaluation": obj(
        {
            "id": INTEGER,
            "application_id": INTEGER,
            "evaluator_id": INTEGER,
            "scores": {"type": "object", "additionalProperties": INTEGER},
            "comment": STRING,
            "total": nullable({**NUMBER, "description": "weighted mean of the scores"}),
            "submitted_at": nullable(TIME),
            "created_at": TIME,
        }
    ),
    "ScoresUpdate": obj(
        {
            "scores": {
                "type": "object",
                "description": "criterion key -> 0-100, every criterion of the rubric",
                "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 100},
            },
            "comment": {"type": "string", "maxLength": MAX_COMMENT},
        },
        required=["scores"],
        additionalProperties=False,
    ),
    "ConflictCreate": obj(
        {
            "business_reg_no": {"type": "string", "maxLength": 20},
            "reason": {"type": "string", "maxLength": MAX_CONFLICT_REASON},
            "evaluator_id": {**INTEGER, "minimum": 1, "description": "coordinators: the evaluator's user id"},
        },
        required=["business_reg_no"],
        additionalProperties=False,
    ),
    "ConflictRecorded": obj({"evaluator_id": INTEGER, "withdrawn": INTEGER}),
    "AssignCreate": obj(
        {"panel": {"type": "integer", "minimum": 1, "maximum": MAX_PANEL, "default": DEFAULT_PANEL}},
        required=[],
        additionalProperties=False,
    ),
    "AssignResult": obj({"added": INTEGER, "panel": INTEGER}),
    "Ranking": obj(
        {
            "tracks": {
                "type": "array",
                "items": obj(
                    {
                        "code": STRING,
                        "name": STRING,
                        "quota": nullable(INTEGER),
                        "cut_after": nullable({**INTEGER, "description": "the cut line is below this rank"}),
                        "selected": INTEGER,
                        "rows": {
                            "type": "array",
                            "items": obj(
                                {
                                    "rank": INTEGER,
                                    "application_id": INTEGER,
                                    "company_name": STRING,
                                    "score": nullable(NUMBER),
                                    "scored": INTEGER,
                                    "assigned": INTEGER,
                                    "recommendation": {"type": "string", "enum": RECOMMENDATIONS},
                                    "inside_quota": BOOLEAN,
                                    "decision": {"type": "string", "enum": _values(Decision)},
                                }
                            ),
                        },
                    }
                ),
            }
        }
    ),
    "Funnel": obj(
        {
            "totals": COUNTS,
            "by_track": {"type": "object", "additionalProperties": COUNTS},
            "by_municipality": {"type": "object", "additionalProperties": COUNTS},
            "quota": {"type": "object", "additionalProperties": nullable(INTEGER)},
        }
    ),
}
for _name in ("Application", "Inspection", "Evaluation"):
    SCHEMAS[f"{_name}Page"] = obj(
        {"items": {"type": "array", "items": ref(_name)}, "total": INTEGER, "page": INTEGER, "pages": INTEGER}
    )

BASE = "/programs"
COHORT = f"{BASE}/cohorts/{{id}}"
APPLICATION = f"{BASE}/applications/{{id}}"
INSPECTION = f"{BASE}/inspections/{{id}}"
ONE_APPLICATION = (200, "Application", "the application")
ONE_INSPECTION = (200, "Inspection", "the inspection")
PATHS = {
    COHORT: {
        "get": operation(
            "A cohort's program year: application period, tracks with their limits, eligibility rules, "
            "inspection window, checklist and rubric",
            (200, "ProgramCohort", "the cohort"),
            (404,),
            params=(PATH_ID,),
        )
    },
    f"{COHORT}/ranking": {
        "get": operation(
            "Eligible applications per track by score, with the quota's cut line (coordinators)",
            (200, "Ranking", "the ranking"),
            (403, 404),
            params=(PATH_ID,),
        )
    },
    f"{COHORT}/funnel": {
        "get": operation(
            "Applied, eligible, inspected, scored, selected, per track and municipality (coordinators)",
            (200, "Funnel", "the funnel"),
            (403, 404),
            params=(PATH_ID,),
        )
    },
    f"{COHORT}/assign": {
        "post": operation(
            "Give every eligible application up to `panel` evaluators, never one with a conflict "
            "(coordinators)",
            (200, "AssignResult", "new assignments"),
            (400, 403, 404, 409, 422),
            params=(PATH_ID,),
            body=("AssignCreate", False),
        )
    },
    f"{BASE}/applications": {
        "get": operation(
            "Applications the user may see (an evaluator's assigned ones, a company's own), oldest first",
            (200, "ApplicationPage", "a page of applications"),
            (400,),
            params=(
                COHORT_ID,
                query("eligibility", {"type": "string", "enum": _values(Eligibility)}),
                query("decision", {"type": "string", "enum": _values(Decision)}),
                query("track", {"type": "string", "maxLength": 20}),
                *PAGING,
            ),
        )
    },
    APPLICATION: {"get": operation("One application", ONE_APPLICATION, (404,), params=(PATH_ID,))},
    f"{APPLICATION}/eligibility": {
        "post": operation(
            "Decide eligibility by hand with a note, or return to the rules (coordinators; audited)",
            ONE_APPLICATION,
            (400, 403, 404, 422),
            params=(PATH_ID,),
            body=("EligibilityOverride", True),
        )
    },
    f"{APPLICATION}/decision": {
        "post": operation(
            "Selected, waitlisted or rejected with a reason; the company is mailed (coordinators)",
            ONE_APPLICATION,
            (400, 403, 404, 409, 422),
            params=(PATH_ID,),
            body=("DecisionCreate", True),
        )
    },
    f"{BASE}/inspections": {
        "get": operation(
            "Inspections the user may see (a mentor's pair's, a company's own), by time",
            (200, "InspectionPage", "a page of inspections"),
            (400,),
            params=(COHORT_ID, query("state", {"type": "string", "enum": _values(InspectionState)}), *PAGING),
        )
    },
    INSPECTION: {"get": operation("One inspection", ONE_INSPECTION, (404,), params=(PATH_ID,))},
    f"{INSPECTION}/confirm": {
        "post": operation(
            "Confirm the offered time (companies); 409 when it is no longer offered",
            ONE_INSPECTION,
            (403, 404, 409),
            params=(PATH_ID,),
        )
    },
    f"{INSPECTION}/decline": {
        "post": operation(
            "Ask for another time, saying what suits (companies); replanned around the confirmed ones",
            ONE_INSPECTION,
            (400, 403, 404, 409, 422),
            params=(PATH_ID,),
            body=("InspectionDecline", True),
        )
    },
    f"{INSPECTION}/checklist": {
        "put": operation(
            "Save the checklist as a draft or finish the inspection (the pair's mentors)",
            ONE_INSPECTION,
            (400, 403, 404, 409, 422),
            params=(PATH_ID,),
            body=("ChecklistUpdate", True),
        )
    },
    f"{BASE}/evaluations": {
        "get": operation(
            "Evaluation assignments with their scores (an evaluator's own; all for coordinators)",
            (200, "EvaluationPage", "a page of assignments"),
            (400, 403),
            params=(COHORT_ID, *PAGING),
        )
    },
    f"{BASE}/evaluations/{{id}}": {
        "get": operation(
            "One assignment with its scores",
            (200, "Evaluation", "the assignment"),
            (403, 404),
            params=(PATH_ID,),
        ),
        "put": operation(
            "Submit scores 0-100 per criterion (the evaluator); 409 once the application is decided",
            (200, "Evaluation", "the assignment"),
            (400, 403, 404, 409, 422),
            params=(PATH_ID,),
            body=("ScoresUpdate", True),
        ),
    },
    f"{BASE}/conflicts": {
        "post": operation(
            "Declare a conflict of interest with a company; its assignments are withdrawn "
            "(an evaluator their own, a coordinator an evaluator's)",
            (201, "ConflictRecorded", "recorded"),
            (400, 403, 422),
            body=("ConflictCreate", True),
        )
    },
}
for _kind, _text in (("checklist", "inspection checklist"), ("rubric", "evaluation rubric")):
    PATHS[f"{COHORT}/{_kind}"] = {
        "put": operation(
            f"Replace the cohort's {_text} (coordinators) until the first sheet uses it; 409 after that, "
            "or when it changed since `basis` was read",
            (200, "Sheet", f"the {_kind}"),
            (400, 403, 404, 409, 422),
            params=(PATH_ID,),
            body=("SheetUpdate", True),
        )
    }
