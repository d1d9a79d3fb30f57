"""Schemathesis against the served OpenAPI document: no server errors, responses as documented.

Examples per operation are few (the test must stay fast); they run as the coordinator, who may
call every operation, against the small world of conftest with a stand-in solver.
"""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from webapp.api.openapi import document

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


# The document is static, so it is loaded once here; each test sends its cases to its own app
# (schemathesis' from_fixture does not work with pytest 9).
schema = schemathesis.openapi.from_dict(document())


def test_the_served_document_is_the_tested_one(web_app):
    assert web_app.test_client().get("/api/v1/openapi.json").get_json() == document()


@schema.parametrize()
@settings(
    max_examples=8, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
def test_the_api_does_what_its_openapi_document_says(case, web_app, world, tokens, fake_solver):
    case.call_and_validate(
        app=web_app, headers={"Authorization": f"Bearer {tokens['coordinator']}"}, checks=CHECKS
    )
