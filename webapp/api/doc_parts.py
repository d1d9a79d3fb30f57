"""The building blocks of the OpenAPI document (webapp.api.openapi): JSON Schema shorthands,
operations with their documented errors, paging and path parameters. Each domain's part of the
document (e.g. webapp.api.engagements_doc) builds on these, and openapi.py assembles the parts."""

from __future__ import annotations

from webapp.api.base import MAX_PER_PAGE
from webapp.core.ids import MAX_ID

STRING, INTEGER, NUMBER, BOOLEAN = ({"type": t} for t in ("string", "integer", "number", "boolean"))
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


# webapp.core.inputs: no control characters in text; a required text holds something visible.
_NO_CONTROL = "[^\\u0000-\\u001f\\u007f-\\u009f]*"
TEXT_PATTERN = f"^{_NO_CONTROL}$"
FILLED_PATTERN = f"^{_NO_CONTROL}\\S{_NO_CONTROL}$"


def text(limit: int) -> dict:
    return {"type": "string", "maxLength": limit, "pattern": TEXT_PATTERN}


def filled(schema: dict) -> dict:
    """A required text field: at least one visible character (the API refuses empty ones)."""
    return {**schema, "minLength": 1, "pattern": FILLED_PATTERN}


def obj(properties: dict, required: list[str] | None = None, **extra) -> dict:
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }
    return {**schema, **extra}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema_name: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref(schema_name)}}}


ERRORS = {
    400: "bad request (query or body malformed)",
    401: "no valid bearer token",
    403: "the user's role may not do this",
    404: "no such record, or not the user's to see",
    409: "conflicts with the current state",
    422: "invalid fields; nothing was saved",
}


def operation(
    summary: str, ok: tuple[int, str, str], errors: tuple[int, ...], *, params=(), body=None
) -> dict:
    code, schema, description = ok
    responses = {str(code): json_body(schema, description)}
    responses.update({str(e): json_body("Error", ERRORS[e]) for e in (401, *errors)})
    operation = {"summary": summary, "responses": responses}
    if params:
        operation["parameters"] = list(params)
    if body:
        name, required = body
        operation["requestBody"] = {
            "required": required,
            "content": {"application/json": {"schema": ref(name)}},
        }
    return operation


def query(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PAGING = (
    query("page", {"type": "integer", "minimum": 1, "maximum": MAX_ID}),
    query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}),
)
PATH_ID = {"name": "id", "in": "path", "required": True, "schema": ID}
