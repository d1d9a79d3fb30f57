"""The engagements' part of the OpenAPI document: cohorts, engagements, planning runs, scenarios.
The limits come from webapp.engagements, so the document cannot drift from what the API accepts."""

from __future__ import annotations

from webapp.api.doc_parts import (
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
from webapp.engagements.models import EngagementState, PlanStatus, PlanTrigger, TeamRole
from webapp.engagements.review import KINDS
from webapp.engagements.service import PARAM_LIMITS
from webapp.visits.models import SlotState, VisitPurpose

DATE = {"type": "string", "format": "date"}
TIME = {"type": "string", "format": "date-time"}
STATES = [s.value for s in EngagementState]
COUNTS = {"type": "object", "additionalProperties": INTEGER}
FIGURES = obj(
    {
        "served": INTEGER,
        "total_score": INTEGER,
        "applicants": INTEGER,
        "mentors": INTEGER,
        "weeks": INTEGER,
        "mean_utilisation": NUMBER,
        "utilisation": {
            "type": "array",
            "items": NUMBER,
            "description": "busy share of available mentors per week",
        },
        "per_track": {"type": "object", "additionalProperties": {"type": "object"}},
        "per_municipality": {"type": "object", "additionalProperties": {"type": "object"}},
    },
    required=[],
)
PLAN_PARAMS = {
    name: {"type": ["integer", "null"], "minimum": low, "maximum": high}
    for name, (low, high) in PARAM_LIMITS.items()
}

WEEKS = {
    "start_week": {**INTEGER, "description": "week index in the program year (0: its first Monday)"},
    "end_week": {**INTEGER, "description": "the last week, inclusive"},
    "weeks": INTEGER,
    "start_date": {**DATE, "description": "the Monday of start_week"},
    "end_date": {**DATE, "description": "the Sunday of end_week"},
}


def nullable_ref(name: str, description: str) -> dict:
    return {"anyOf": [ref(name), {"type": "null"}], "description": description}


ROLE = {"type": "string", "enum": [r.value for r in TeamRole], "description": "the lead is listed first"}
USER_NAME = nullable({"type": "string", "description": "the user's display name, else their email"})
COMPANY = {
    "company_id": INTEGER,
    "company_name": STRING,
    "track": STRING,
    "score": nullable({"type": "integer", "description": "committee score"}),
}

SCHEMAS = {
    "Cohort": obj(
        {
            "id": INTEGER,
            "name": STRING,
            "year": INTEGER,
            "mode": {"type": "string", "enum": ["resident", "visiting"]},
            "status": STRING,
            "first_monday": DATE,
            "weeks": INTEGER,
            "max_commute_km": INTEGER,
            "default_engagement_weeks": INTEGER,
            "default_team_size": INTEGER,
            "min_per_municipality": COUNTS,
            "tracks": {
                "type": "array",
                "items": obj({"code": STRING, "name": STRING, "quota": nullable(INTEGER)}),
            },
        }
    ),
    "TeamMember": obj(
        {
            "mentor_id": INTEGER,
            "name": STRING,
            "role": ROLE,
            "email": STRING,
            "phone": STRING,
            "skills": {"type": "array", "items": STRING},
        }
    ),
    "Meeting": obj(
        {
            "visit_id": {**INTEGER, "description": "the visit under /visits/{id} (confirm, decline, ...)"},
            "purpose": {"type": "string", "enum": [p.value for p in VisitPurpose]},
            "starts_at": TIME,
            "ends_at": TIME,
            "state": {"type": "string", "enum": [s.value for s in SlotState]},
        }
    ),
    "Engagement": obj(
        {
            "id": INTEGER,
            "cohort_id": INTEGER,
            "company_id": INTEGER,
            "company_name": STRING,
            "track": STRING,
            **WEEKS,
            "state": {"type": "string", "enum": STATES},
            "state_changed_at": TIME,
            "state_changed_by_id": nullable({"type": "integer", "description": "the user who set the state"}),
            "state_changed_by_name": USER_NAME,
            "cancel_reason": STRING,
            "value": {**INTEGER, "description": "what the planner gained by it"},
            "reasons": {"type": "array", "items": STRING, "description": "the planner's, in English"},
            "created_at": TIME,
            "team": {"type": "array", "items": ref("TeamMember")},
            "meetings": {
                "type": "array",
                "items": ref("Meeting"),
                "description": "kickoff, mid-term check and completion evaluation, in time order",
            },
        }
    ),
    "PlanMember": obj(
        {
            "ref": {"type": "string", "description": '"m-<mentor id>" (a scenario\'s added mentor: "x-<n>")'},
            "mentor_id": nullable(INTEGER),
            "name": STRING,
            "role": ROLE,
        }
    ),
    "PlanBlock": obj({**WEEKS, "team": {"type": "array", "items": ref("PlanMember")}}),
    "ProposedEngagement": obj(
        {
            **COMPANY,
            **WEEKS,
            "team": {"type": "array", "items": ref("PlanMember")},
            "value": INTEGER,
            "pinned": {"type": "boolean", "description": "agreed, on site or completed: kept as it is"},
            "reasons": {"type": "array", "items": STRING},
        }
    ),
    "PlanFigures": FIGURES,
    "PlanningRun": obj(
        {
            "id": INTEGER,
            "cohort_id": INTEGER,
            "scenario_id": nullable(INTEGER),
            "trigger": {"type": "string", "enum": [t.value for t in PlanTrigger]},
            "status": {"type": "string", "enum": [s.value for s in PlanStatus]},
            "created_at": TIME,
            "created_by_id": nullable(INTEGER),
            "started_at": nullable(TIME),
            "finished_at": nullable(TIME),
            "params": {"type": "object", "additionalProperties": INTEGER},
            "solver_status": nullable(STRING),
            "objective": nullable(INTEGER),
            "bound": nullable(INTEGER),
            "progress": {"type": "object", "description": "objective (best so far), bound, elapsed (s)"},
            "summary": ref("PlanFigures"),
            "unselected": {"type": "array", "items": obj({"company_id": INTEGER, "reason": STRING})},
            "error": nullable(STRING),
            "approved_at": nullable(TIME),
            "approved_by_id": nullable(INTEGER),
            "approved_by_name": USER_NAME,
        }
    ),
    "PlanChange": obj(
        {
            **COMPANY,
            "kind": {"type": "string", "enum": list(KINDS)},
            "state": {
                "type": ["string", "null"],
                "enum": [*STATES, None],
                "description": "of the engagement in force (null when new)",
            },
            "in_force": nullable_ref("PlanBlock", "null when new"),
            "proposed": nullable_ref("PlanBlock", "null when dropped"),
            "reasons": {"type": "array", "items": STRING},
        }
    ),
    "PlanningRunDetail": {
        "allOf": [
            ref("PlanningRun"),
            obj(
                {
                    "unselected": {"type": "array", "items": obj({**COMPANY, "reason": STRING})},
                    "engagements": {"type": "array", "items": ref("ProposedEngagement")},
                    "changes": {
                        "type": "array",
                        "items": ref("PlanChange"),
                        "description": "against the plan in force, while the run is proposed (else empty)",
                    },
                }
            ),
        ]
    },
    "PlanningRunCreate": obj(
        {"cohort_id": {**INTEGER, "minimum": 1}, **PLAN_PARAMS},
        required=["cohort_id"],
        additionalProperties=False,
    ),
    "PlanningParams": obj(PLAN_PARAMS, required=[], additionalProperties=False),
    "Scenario": obj(
        {
            "id": INTEGER,
            "cohort_id": INTEGER,
            "name": STRING,
            "settings": {"type": "object", "description": "the cohort's figures it changes"},
            "removed_mentor_ids": {"type": "array", "items": INTEGER},
            "added_mentors": {"type": "array", "items": {"type": "object"}},
            "keep_pins": {"type": "boolean"},
            "created_at": TIME,
            "created_by_id": nullable(INTEGER),
            "updated_at": TIME,
            "latest": nullable_ref("PlanningRun", "the newest solve"),
        }
    ),
    "ScenarioDetail": {
        "allOf": [
            ref("Scenario"),
            obj(
                {
                    "inputs": obj(
                        {
                            "weeks": INTEGER,
                            "max_commute_km": INTEGER,
                            "engagement_weeks": INTEGER,
                            "team_size": INTEGER,
                            "quotas": COUNTS,
                            "min_per_municipality": COUNTS,
                        },
                        description="what it plans with: the cohort's figures where it changes nothing",
                    ),
                    "comparison": obj(
                        {
                            "in_force": ref("PlanFigures"),
                            "scenario": nullable_ref("PlanFigures", "null until it is solved"),
                        },
                        description="the plan in force and the newest solve side by side",
                    ),
                    "sweep": {
                        "type": "array",
                        "items": obj({"mentors": INTEGER, "served": INTEGER}),
                        "description": "companies served by number of mentors",
                    },
                    "runs": {
                        "type": "array",
                        "items": ref("PlanningRun"),
                        "description": "newest first, up to 20",
                    },
                }
            ),
        ]
    },
    "ScenarioCreate": obj(
        {
            "cohort_id": {**INTEGER, "minimum": 1},
            "name": {"type": "string", "minLength": 1, "maxLength": 120},
        },
        additionalProperties=False,
    ),
}
for _name in ("Cohort", "Engagement", "PlanningRun", "Scenario"):
    SCHEMAS[f"{_name}Page"] = obj(
        {"items": {"type": "array", "items": ref(_name)}, "total": INTEGER, "page": INTEGER, "pages": INTEGER}
    )

COHORT_FILTER = query("cohort", {**INTEGER, "minimum": 1}, "cohort id")
PATHS = {
    "/cohorts": {
        "get": operation(
            "Program years (cohorts), newest first", (200, "CohortPage", "a page"), (400,), params=PAGING
        )
    },
    "/cohorts/{id}": {
        "get": operation(
            "One program year with its tracks", (200, "Cohort", "the cohort"), (404,), params=(PATH_ID,)
        )
    },
    "/engagements": {
        "get": operation(
            "Engagements (a mentor's or a company's own only; cancelled ones with ?state=cancelled)",
            (200, "EngagementPage", "a page of engagements"),
            (400,),
            params=(COHORT_FILTER, query("state", {"type": "string", "enum": STATES}), *PAGING),
        )
    },
    "/engagements/{id}": {
        "get": operation(
            "One engagement with its weeks, state, team and meetings",
            (200, "Engagement", "the engagement"),
            (404,),
            params=(PATH_ID,),
        )
    },
    "/planning-runs": {
        "get": operation(
            "Planning runs of cohorts (not scenarios), newest first (coordinators)",
            (200, "PlanningRunPage", "a page of runs"),
            (400, 403),
            params=(COHORT_FILTER, *PAGING),
        ),
        "post": operation(
            "Plan a cohort now and wait for the proposal, up to its time_limit (coordinators)",
            (201, "PlanningRunDetail", "the run: proposed, or failed with its error"),
            (400, 403, 404, 409, 422),
            body=("PlanningRunCreate", True),
        ),
    },
    "/planning-runs/{id}": {
        "get": operation(
            "One planning run with its engagements and its changes against the plan in force (coordinators)",
            (200, "PlanningRunDetail", "the run"),
            (403, 404),
            params=(PATH_ID,),
        )
    },
    "/scenarios": {
        "get": operation(
            "What-if scenarios (coordinators)",
            (200, "ScenarioPage", "a page"),
            (400, 403),
            params=(COHORT_FILTER, *PAGING),
        ),
        "post": operation(
            "A scenario holding a cohort's current inputs (coordinators)",
            (201, "ScenarioDetail", "the scenario"),
            (400, 403, 404, 422),
            body=("ScenarioCreate", True),
        ),
    },
    "/scenarios/{id}": {
        "get": operation(
            "One scenario with its inputs, its newest solve beside the plan in force and its sweep"
            " (coordinators)",
            (200, "ScenarioDetail", "the scenario"),
            (403, 404),
            params=(PATH_ID,),
        )
    },
    "/scenarios/{id}/solve": {
        "post": operation(
            "Solve a scenario beside the plan in force and wait for it (coordinators); never approvable",
            (201, "PlanningRun", "the scenario's run"),
            (400, 403, 404, 409, 422),
            params=(PATH_ID,),
            body=("PlanningParams", False),
        )
    },
}
for _action, _text in (
    ("approve", "Make the proposal the plan in force"),
    ("discard", "Discard the proposal"),
):
    PATHS[f"/planning-runs/{{id}}/{_action}"] = {
        "post": operation(
            f"{_text} (coordinators); 409 when it is no longer proposed",
            (200, "PlanningRunDetail", "the run"),
            (403, 404, 409),
            params=(PATH_ID,),
        )
    }

# The planning fields of companies and mentors (webapp.engagements.columns), added to their inputs.
SKILLS = {"type": "array", "items": {"type": "string", "pattern": "^[a-z][a-z0-9_-]{0,29}$"}, "maxItems": 20}
COMPANY_INPUT = {
    "cohort": nullable({"type": "integer", "minimum": 2000, "maximum": 2100, "description": "program year"}),
    "track": {"type": "string", "maxLength": 20},
    "score": nullable({"type": "integer", "minimum": 1, "maximum": 100, "description": "committee score"}),
    "required_skills": SKILLS,
    "engagement_weeks": nullable({"type": "integer", "minimum": 1, "maximum": 104}),
    "team_size": nullable({"type": "integer", "minimum": 1, "maximum": 5}),
}
MENTOR_INPUT = {"skills": SKILLS, "max_concurrent": {"type": "integer", "minimum": 0, "maximum": 5}}
