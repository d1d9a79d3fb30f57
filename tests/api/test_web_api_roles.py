"""What a mentor's, a company's and an evaluator's token reaches: every list holds only the
caller's own rows (an evaluator's directory, visits and engagements are empty), another's
record is 404, and what only a coordinator (or another role) may do is 403."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import Session

from tests.programs.conftest import file_application, get, program  # noqa: F401  (the fixture)
from tests.support.engagements import engagement
from tests.support.web import api
from webapp.accounts.models import User
from webapp.accounts.security import hash_token
from webapp.directory.models import Company
from webapp.programs import evaluation
from webapp.programs.application_models import Application
from webapp.programs.models import Cohort

NOT_COORDINATORS = ("mentor_a", "company_a", "ev_a")


@pytest.fixture
def records(web_app, program, tokens):  # noqa: F811
    """The world's records of mentor A and company A, plus company A's engagement (mentor A's
    team) and application (assigned to evaluator A); a token for every user, evaluators too."""
    world = program.world
    application = file_application(
        web_app, program.cohort, 1, business_reg_no=get(web_app, Company, world.companies[0]).business_reg_no
    )
    with Session(web_app.extensions["engine"], expire_on_commit=False) as s:
        cohort = s.get(Cohort, program.cohort)
        engaged = engagement(s, cohort, world.companies[0], 0, 8, "planned", [world.mentors[0]])
        evaluated = evaluation.assign(s, s.get(Application, application), program.evaluators["ev_a"], 1)
        for key, user_id in program.evaluators.items():
            s.get(User, user_id).api_token_hash = hash_token(f"token-of-{key}")
        s.commit()
    return SimpleNamespace(
        world=world,
        cohort=program.cohort,
        engagement=engaged.id,
        application=application,
        evaluation=evaluated.id,
        tokens={**tokens, **{key: f"token-of-{key}" for key in program.evaluators}},
    )


def _ids(client, path: str) -> set[int]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.get_json())
    return {row["id"] for row in response.get_json()["items"]}


@pytest.mark.parametrize("who", NOT_COORDINATORS)
def test_each_list_holds_only_the_callers_own_rows(web_app, records, who):
    world, mentor_or_company = records.world, who != "ev_a"
    own = {
        "/api/v1/companies": {world.companies[0]} if mentor_or_company else set(),
        "/api/v1/mentors": {world.mentors[0]} if mentor_or_company else set(),
        "/api/v1/assignments": {world.assignments[0]} if mentor_or_company else set(),
        "/api/v1/visits": set(world.slots[:2]) if mentor_or_company else set(),
        "/api/v1/engagements": {records.engagement} if mentor_or_company else set(),
        "/api/v1/outcomes/engagements": {records.engagement} if mentor_or_company else set(),
        "/api/v1/programs/applications": set() if who == "mentor_a" else {records.application},
    }
    client = api(web_app, records.tokens[who])
    for path, expected in own.items():
        assert _ids(client, path) == expected, path
    if who == "ev_a":
        assert _ids(client, "/api/v1/programs/evaluations") == {records.evaluation}


@pytest.mark.parametrize("who", ["mentor_b", "company_b", "ev_b"])
def test_another_users_records_are_not_found(web_app, records, who):
    world, client = records.world, api(web_app, records.tokens[who])
    for path in (
        f"/api/v1/companies/{world.companies[0]}",
        f"/api/v1/mentors/{world.mentors[0]}",
        f"/api/v1/visits/{world.slots[0]}",
        f"/api/v1/engagements/{records.engagement}",
        f"/api/v1/outcomes/engagements/{records.engagement}",
        f"/api/v1/outcomes/engagements/{records.engagement}/tasks",
        f"/api/v1/programs/applications/{records.application}",
    ):
        assert client.get(path).status_code == 404, path
    for path, body in (
        (f"/api/v1/visits/{world.slots[1]}/confirm", None),
        (f"/api/v1/visits/{world.slots[0]}/cancel", {"reason": "사정"}),
        (f"/api/v1/outcomes/engagements/{records.engagement}/kpis", {"kind": "productivity"}),
    ):
        assert client.post(path, json=body).status_code == 404, path
    expected = 404 if who == "ev_b" else 403  # the committee's assignments are evaluators' only
    assert client.get(f"/api/v1/programs/evaluations/{records.evaluation}").status_code == expected


COORDINATORS_ONLY = [
    ("post", "/api/v1/companies"),
    ("patch", "/api/v1/companies/{company}"),
    ("post", "/api/v1/mentors"),
    ("patch", "/api/v1/mentors/{mentor}"),
    ("get", "/api/v1/runs"),
    ("post", "/api/v1/runs"),
    ("get", "/api/v1/runs/{run}"),
    ("post", "/api/v1/runs/{run}/approve"),
    ("post", "/api/v1/runs/{run}/discard"),
    ("get", "/api/v1/planning-runs"),
    ("post", "/api/v1/planning-runs"),
    ("get", "/api/v1/scenarios"),
    ("post", "/api/v1/scenarios"),
    ("get", "/api/v1/outcomes/province"),
    ("put", "/api/v1/programs/cohorts/{cohort}/rubric"),
    ("put", "/api/v1/programs/cohorts/{cohort}/checklist"),
    ("post", "/api/v1/programs/cohorts/{cohort}/assign"),
    ("get", "/api/v1/programs/cohorts/{cohort}/ranking"),
    ("get", "/api/v1/programs/cohorts/{cohort}/funnel"),
    ("post", "/api/v1/programs/applications/{application}/eligibility"),
    ("post", "/api/v1/programs/applications/{application}/decision"),
]
# What one other role may do (its own records only), refused to the rest.
ONE_ROLE = [
    ("post", "/api/v1/visits/decline", "company_a"),
    ("post", "/api/v1/programs/inspections/1/confirm", "company_a"),
    ("put", "/api/v1/programs/inspections/1/checklist", "mentor_a"),
    ("get", "/api/v1/programs/evaluations", "ev_a"),
    ("post", "/api/v1/programs/conflicts", "ev_a"),
]


@pytest.mark.parametrize("who", NOT_COORDINATORS)
def test_what_is_not_the_callers_role_is_forbidden(web_app, records, who):
    world, client = records.world, api(web_app, records.tokens[who])
    ids = {
        "company": world.companies[0],
        "mentor": world.mentors[0],
        "run": world.run,
        "cohort": records.cohort,
        "application": records.application,
    }
    for method, path in COORDINATORS_ONLY:
        response = getattr(client, method)(path.format(**ids), json={})
        assert response.status_code == 403, (method, path, response.get_json())
    for method, path, allowed in ONE_ROLE:
        if who != allowed:
            assert getattr(client, method)(path, json={}).status_code == 403, (method, path)
    if who != "ev_a":  # the engagement's team and company see it, but neither decides nor signs off
        engaged = f"/api/v1/outcomes/engagements/{records.engagement}"
        assert client.post(f"{engaged}/sign-off").status_code == 403
        assert client.post(f"{engaged}/change-requests/1/decide", json={}).status_code == 403
