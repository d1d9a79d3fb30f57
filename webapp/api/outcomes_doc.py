"""The outcomes' part of the OpenAPI document (webapp/api/outcomes.py): KPI sheets, change requests,
tasks with photos, completion and sign-off, surveys, reports and the province's figures. Vocabularies,
raw inputs and limits come from webapp.outcomes, so the document cannot drift from what the API
accepts."""

from __future__ import annotations

from webapp.api.doc_parts import (
    BOOLEAN,
    ID,
    INTEGER,
    NUMBER,
    PATH_ID,
    STRING,
    filled,
    json_body,
    nullable,
    obj,
    operation,
    ref,
    text,
)
from webapp.engagements.models import EngagementState
from webapp.outcomes.completion import SUMMARY_MAX
from webapp.outcomes.kpis import CUSTOM_INPUTS, DEFINITIONS
from webapp.outcomes.models import ChangeState, Direction, GainsKept, KpiKind, SurveyKind, TaskArea, TaskState
from webapp.outcomes.sheet import NAME_MAX, TEXT_MAX, UNIT_MAX
from webapp.outcomes.surveys import COMMENT_MAX
from webapp.outcomes.tasks import DESCRIPTION_MAX, NOTE_MAX, OWNER_MAX


def _enum(vocabulary) -> dict:
    return {"type": "string", "enum": [member.value for member in vocabulary]}


NUM_OR_NULL = {"type": ["number", "null"]}
TIME = nullable({"type": "string", "format": "date-time"})
DATE = {"type": "string", "format": "date"}
PHOTO = {"anyOf": [obj({"url": STRING, "thumbnail_url": STRING}), {"type": "null"}]}
# Texts of several lines: line breaks and tabs, no other control character (webapp.outcomes.fields).
_NO_CONTROL_BUT_LINES = "[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*"


def _lines(limit: int, required: bool = False) -> dict:
    visible = f"\\S{_NO_CONTROL_BUT_LINES}" if required else ""
    schema = {"type": "string", "maxLength": limit, "pattern": f"^{_NO_CONTROL_BUT_LINES}{visible}$"}
    return {**schema, "minLength": 1} if required else schema


FIGURE = {"type": ["number", "string"], "description": 'a number (or its text, e.g. "1,200")'}
INPUTS_TEXT = (
    "; ".join(
        f"{kind.value}: {', '.join(i.name for i in inputs)}"
        for kind, inputs in (
            *((k, d.inputs) for k, d in DEFINITIONS.items()),
            (KpiKind.custom, CUSTOM_INPUTS),
        )
    )
    + " (dates as YYYY-MM-DD)"
)


def _inputs(description: str) -> dict:
    return {
        "type": "object",
        "additionalProperties": FIGURE,
        "description": f"{description}, by the indicator's raw inputs ({INPUTS_TEXT})",
    }


SCHEMAS = {
    "OutcomeEngagement": obj(
        {
            "id": INTEGER, "cohort_id": INTEGER, "company_id": INTEGER, "start_date": STRING,
            "end_date": STRING, "weeks": INTEGER, "state": _enum(EngagementState),
        }
    ),
    "Kpi": obj(
        {
            "id": INTEGER, "kind": _enum(KpiKind), "name": STRING, "unit": STRING,
            "direction": _enum(Direction),
            "baseline_inputs": {"type": "object", "additionalProperties": STRING}, "baseline": NUM_OR_NULL,
            "target": NUM_OR_NULL, "actual_inputs": {"type": "object", "additionalProperties": STRING},
            "actual": NUM_OR_NULL, "change_pct": NUM_OR_NULL, "target_met": nullable(BOOLEAN),
        }
    ),
    "Task": obj(
        {
            "id": INTEGER, "area": _enum(TaskArea), "description": STRING, "owner": STRING, "due_on": STRING,
            "state": _enum(TaskState), "found_at": nullable(STRING), "closed_at": nullable(STRING),
            "close_note": STRING, "before_photo": PHOTO, "after_photo": PHOTO,
        }
    ),
    "Survey": obj(
        {
            "id": INTEGER, "kind": _enum(SurveyKind), "due_on": STRING, "sent_at": nullable(STRING),
            "answered_at": nullable(STRING), "rating": nullable(INTEGER), "working_out": nullable(BOOLEAN),
            "gains_kept": nullable(STRING), "comment": STRING, "flagged": BOOLEAN,
        }
    ),
    "ChangeRequest": obj(
        {
            "id": INTEGER, "indicator_id": INTEGER, "old_target": NUM_OR_NULL, "new_target": NUM_OR_NULL,
            "reason": STRING, "state": _enum(ChangeState), "requested_by_id": nullable(INTEGER),
            "requested_at": TIME, "decided_by_id": nullable(INTEGER), "decided_at": TIME,
            "decision_note": STRING,
        }
    ),
    "EngagementReport": {
        "allOf": [
            ref("OutcomeEngagement"),
            obj(
                {
                    "team": {"type": "array", "items": INTEGER}, "targets_locked_at": nullable(STRING),
                    "submitted_at": nullable(STRING), "signed_off_at": nullable(STRING), "summary": STRING,
                    "kpis": {"type": "array", "items": ref("Kpi")},
                    "tasks_found": INTEGER, "tasks_solved": INTEGER,
                }
            ),
        ]
    },
    "ProvinceFigures": obj(
        {
            "engagements": {"type": "object", "additionalProperties": INTEGER},
            "tasks_found": INTEGER, "tasks_solved": INTEGER,
            "kpis": {"type": "array", "items": obj({
                "kind": STRING, "firms": INTEGER, "median_change_pct": NUM_OR_NULL,
                "quartiles_pct": {"type": ["array", "null"], "items": NUMBER}, "mean_change_pct": NUM_OR_NULL,
                "targets_met": INTEGER, "with_target": INTEGER,
            })},
            "satisfaction": {"type": "object", "additionalProperties": INTEGER},
            "week2_flagged": INTEGER, "gains_kept": {"type": "object", "additionalProperties": INTEGER},
        }
    ),
    # Request bodies: what the pages' forms send, as JSON (the tasks' as multipart, for the photos).
    "KpiCreate": obj(
        {
            "kind": _enum(KpiKind),
            "name": {**filled(text(NAME_MAX)), "description": "custom indicators only"},
            "unit": {**filled(text(UNIT_MAX)), "description": "custom indicators only"},
            "direction": {**_enum(Direction), "description": "custom indicators only"},
        },
        required=["kind"],
        additionalProperties=False,
    ),
    "KpiPlan": obj(
        {
            "baseline": _inputs("the baseline measured at kickoff"),
            "target": {**FIGURE, "description": "in the indicator's unit; better than the baseline"},
        },
        required=["baseline"],
        additionalProperties=False,
    ),
    "KpiActual": obj(
        {"actual": _inputs("the actual measured in the engagement's last week")},
        additionalProperties=False,
    ),
    "ChangeRequestCreate": obj(
        {"new_target": FIGURE, "reason": _lines(TEXT_MAX, required=True)}, additionalProperties=False
    ),
    "ChangeDecision": obj(
        {"decision": {"type": "string", "enum": ["approve", "reject"]}, "note": _lines(TEXT_MAX)},
        required=["decision"],
        additionalProperties=False,
    ),
    "CompletionSubmit": obj({"summary": _lines(SUMMARY_MAX, required=True)}, additionalProperties=False),
    "SurveyAnswer": obj(
        {
            "rating": {"type": "integer", "minimum": 1, "maximum": 5, "description": "week 2 and completion"},
            "working_out": {**BOOLEAN, "description": "week 2: is the team working out?"},
            "gains_kept": {**_enum(GainsKept), "description": "6 and 12 months"},
            "comment": _lines(COMMENT_MAX),
        },
        required=[],
        additionalProperties=False,
    ),
    "TaskCreate": obj(
        {
            "area": _enum(TaskArea),
            "description": _lines(DESCRIPTION_MAX, required=True),
            "owner": {**filled(text(OWNER_MAX)), "description": "who at the company carries it out"},
            "due_on": DATE,
            "before_photo": {"type": "string", "format": "binary", "description": "JPEG, PNG or HEIC, 15 MB"},
        }
    ),
    "TaskClose": obj(
        {
            "close_note": _lines(NOTE_MAX, required=True),
            "after_photo": {"type": "string", "format": "binary", "description": "JPEG, PNG or HEIC, 15 MB"},
        }
    ),
}  # fmt: skip
for _name, _item in (
    ("OutcomeEngagementList", "OutcomeEngagement"),
    ("KpiList", "Kpi"),
    ("TaskList", "Task"),
    ("SurveyList", "Survey"),
    ("ChangeRequestList", "ChangeRequest"),
):
    SCHEMAS[_name] = obj({"items": {"type": "array", "items": ref(_item)}})


def _path(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": ID}


ENGAGEMENT = "/outcomes/engagements/{id}"
KPI = f"{ENGAGEMENT}/kpis/{{kpi_id}}"
REFUSED = (400, 404, 409, 422)  # malformed, not the user's to see, the record's state, invalid fields
REPORT = (200, "EngagementReport", "the report")


def _multipart(summary: str, ok: tuple[int, str, str], schema: str, params: tuple) -> dict:
    change = operation(summary, ok, (*REFUSED, 403), params=params)
    change["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": ref(schema)}}}
    return change


PATHS = {
    "/outcomes/engagements": {
        "get": operation("Engagements the user may see (team, company, or all for coordinators)",
                         (200, "OutcomeEngagementList", "engagements"), ())
    },
    ENGAGEMENT: {"get": operation("One engagement's completion report: KPIs, tasks found and solved",
                                  REPORT, (404,), params=(PATH_ID,))},
    f"{ENGAGEMENT}/kpis": {
        "get": operation("The KPI sheet: baseline, target, actual, change (computed)",
                         (200, "KpiList", "indicators"), (404,), params=(PATH_ID,)),
        "post": operation("Add an indicator to the sheet before its targets are locked (company, team, "
                          "coordinators)", (201, "Kpi", "the indicator"), REFUSED, params=(PATH_ID,),
                          body=("KpiCreate", True)),
    },
    KPI: {"delete": operation("Remove an indicator before the targets are locked; answers the sheet",
                              (200, "KpiList", "indicators"), REFUSED, params=(PATH_ID, _path("kpi_id")))},
    f"{KPI}/plan": {"put": operation(
        "Baseline from its raw inputs, and the target, before the targets are locked (company, team, "
        "coordinators); the value is computed", (200, "Kpi", "the indicator"), REFUSED,
        params=(PATH_ID, _path("kpi_id")), body=("KpiPlan", True))},
    f"{ENGAGEMENT}/kpis/lock": {"post": operation(
        "Agree and lock the targets: every indicator needs its baseline and target; afterwards a target "
        "changes only through a change request", (200, "KpiList", "indicators"), REFUSED, params=(PATH_ID,))},
    f"{KPI}/actual": {"put": operation(
        "The actual from its raw inputs, from the engagement's last week until the completion is "
        "submitted (the team, coordinators)", (200, "Kpi", "the indicator"), (*REFUSED, 403),
        params=(PATH_ID, _path("kpi_id")), body=("KpiActual", True))},
    f"{KPI}/change-requests": {"post": operation(
        "Ask to change a locked target, with a reason (one pending per indicator)",
        (201, "ChangeRequest", "the pending request"), REFUSED, params=(PATH_ID, _path("kpi_id")),
        body=("ChangeRequestCreate", True))},
    f"{ENGAGEMENT}/change-requests": {"get": operation(
        "The sheet's change requests, newest first", (200, "ChangeRequestList", "change requests"), (404,),
        params=(PATH_ID,))},
    f"{ENGAGEMENT}/change-requests/{{request_id}}/decide": {"post": operation(
        "Approve (the new target is in force) or reject a pending change request, once (coordinators)",
        (200, "ChangeRequest", "the decided request"), (*REFUSED, 403),
        params=(PATH_ID, _path("request_id")), body=("ChangeDecision", True))},
    f"{ENGAGEMENT}/tasks": {
        "get": operation("Improvement tasks; photos as URLs under the same ownership",
                         (200, "TaskList", "tasks"), (404,), params=(PATH_ID,)),
        "post": _multipart("Log a task found on site with its before photo (the team, coordinators)",
                           (201, "Task", "the task"), "TaskCreate", (PATH_ID,)),
    },
    f"{ENGAGEMENT}/tasks/{{task_id}}/close": {"post": _multipart(
        "Close a task as solved with its after photo and a note, once (the team, coordinators)",
        (200, "Task", "the task"), "TaskClose", (PATH_ID, _path("task_id")))},
    f"{ENGAGEMENT}/completion": {"post": operation(
        "Submit the completion with a summary once every indicator has its actual (the team, "
        "coordinators)", REPORT, (*REFUSED, 403), params=(PATH_ID,), body=("CompletionSubmit", True))},
    f"{ENGAGEMENT}/sign-off": {"post": operation(
        "Sign off a submitted completion: the engagement is completed (coordinators)", REPORT,
        (*REFUSED, 403), params=(PATH_ID,))},
    f"{ENGAGEMENT}/surveys": {"get": operation("Surveys of the engagement and their answers",
                                               (200, "SurveyList", "surveys"), (404,), params=(PATH_ID,))},
    f"{ENGAGEMENT}/surveys/{{survey_id}}/answer": {"post": operation(
        "Answer a survey, once (the company): rating and working_out at week 2, rating at completion, "
        "gains_kept at 6 and 12 months", (200, "Survey", "the answered survey"), (*REFUSED, 403),
        params=(PATH_ID, _path("survey_id")), body=("SurveyAnswer", True))},
    "/outcomes/province": {"get": operation("The province's figures (coordinators)",
                                            (200, "ProvinceFigures", "figures"), (403,))},
}  # fmt: skip
# A refused change answers in the request's language (Accept-Language, Korean first).
for _methods in PATHS.values():
    for _operation in _methods.values():
        if "422" in _operation["responses"]:
            _operation["responses"]["422"] = json_body(
                "Error", "invalid fields (a message per field, in the request's language); nothing saved"
            )
