"""The JSON API: tokens (every role's, made on the account page), reading, writing with the
import's validation, runs."""

import hashlib
import re

from sqlmodel import Session, select

from tests.programs.conftest import file_application, program  # noqa: F401  (the fixture)
from tests.support.web import api, brn
from webapp.accounts.models import User
from webapp.directory.models import Company
from webapp.programs import evaluation
from webapp.programs.application_models import Application


def new_token(client) -> str:
    """Press "Create a new token" (or "Replace the token") on the account page; the token shown."""
    page = client.post("/account/token").get_data(as_text=True)
    return re.search(r'<code class="token">([^<]+)</code>', page).group(1)


def test_a_user_creates_and_revokes_their_token_on_the_account_page(web_app, clients):
    client = clients["coordinator"]
    token = new_token(client)
    with Session(web_app.extensions["engine"]) as s:
        user = s.exec(select(User).where(User.email == "coord@x.kr")).one()
        assert user.api_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in clients["coordinator"].get("/account").get_data(as_text=True)  # shown once
    assert api(web_app, token).get("/api/v1/me").get_json()["role"] == "coordinator"
    client.post("/account/token/revoke")
    assert api(web_app, token).get("/api/v1/me").status_code == 401


def test_mentors_companies_and_evaluators_make_a_token_for_their_own_part_of_the_api(web_app, program):  # noqa: F811
    world = program.world
    application = file_application(web_app, program.cohort, 1)
    with Session(web_app.extensions["engine"], expire_on_commit=False) as s:
        mine = evaluation.assign(s, s.get(Application, application), program.evaluators["ev_a"], 1)
        s.commit()
    scope = {
        "mentor_a": "멘토: 내 담당 기업과 방문",
        "company_a": "기업: 우리 회사와 담당 멘토",
        "ev_a": "평가위원: 나에게 배정된 신청서",
    }
    tokens = {}
    for who, text in scope.items():
        page = program.clients[who].get("/account").get_data(as_text=True)
        assert "API 토큰" in page and text in page and "토큰이 없습니다" in page
        tokens[who] = new_token(program.clients[who])
    mentor, company, evaluator = (api(web_app, tokens[who]) for who in scope)
    # each uses it for what its pages show it, and nothing of another's
    assert mentor.get("/api/v1/me").get_json()["mentor_id"] == world.mentors[0]
    assert [c["id"] for c in mentor.get("/api/v1/companies").get_json()["items"]] == [world.companies[0]]
    assert {v["id"] for v in mentor.get("/api/v1/visits").get_json()["items"]} == set(world.slots[:2])
    assert company.get(f"/api/v1/companies/{world.companies[1]}").status_code == 404
    confirmed = company.post(f"/api/v1/visits/{world.slots[1]}/confirm")
    assert confirmed.status_code == 200 and confirmed.get_json()["state"] == "confirmed"
    assert [a["id"] for a in evaluator.get("/api/v1/programs/applications").get_json()["items"]] == [
        application
    ]
    scored = evaluator.put(
        f"/api/v1/programs/evaluations/{mine.id}",
        json={"scores": dict.fromkeys(("need", "plan", "capacity", "impact"), 80)},
    )
    assert scored.status_code == 200 and scored.get_json()["total"] == 80
    assert evaluator.get("/api/v1/companies").get_json()["total"] == 0
    # replaced: the old token stops working; revoked: none works
    for who, token in tokens.items():
        replaced = new_token(program.clients[who])
        assert api(web_app, token).get("/api/v1/me").status_code == 401
        assert api(web_app, replaced).get("/api/v1/me").get_json()["email"] == f"{who}@x.kr"
        program.clients[who].post("/account/token/revoke")
        assert api(web_app, replaced).get("/api/v1/me").status_code == 401


def test_no_or_a_wrong_token_is_401_with_a_json_body(web_app, world):
    for client in (api(web_app, None), api(web_app, "nope")):
        response = client.get("/api/v1/companies")
        assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.get_json()["error"] == "Sign-in needed"
    assert api(web_app, None).get("/api/v1/openapi.json").status_code == 200


def test_coordinator_creates_and_updates_a_company(web_app, tokens):
    client = api(web_app, tokens["coordinator"])
    created = client.post(
        "/api/v1/companies",
        json={
            "business_reg_no": brn(42),
            "name": "API회사",
            "industry": "C25",
            "municipality": "전주",
            "employees": 12,
            "lat": None,
            "lon": None,
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["municipality"] == "Jeonju" and body["industry"] == "C25" and body["mentor_id"] is None
    assert client.get(created.headers["Location"]).get_json() == body
    changed = client.patch(f"/api/v1/companies/{body['id']}", json={"priority": 5, "status": "active"})
    assert changed.status_code == 200
    assert (changed.get_json()["priority"], changed.get_json()["name"]) == (5, "API회사")
    bad = client.patch(f"/api/v1/companies/{body['id']}", json={"priority": 9, "business_reg_no": brn(43)})
    assert bad.status_code == 422 and set(bad.get_json()["fields"]) == {"business_reg_no"}  # the key is fixed
    assert client.patch(f"/api/v1/companies/{body['id']}", json={"priority": 9}).status_code == 422
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(Company, body["id"]).priority == 5  # nothing half-saved


def test_validation_errors_name_the_fields(web_app, tokens):
    client = api(web_app, tokens["coordinator"])
    response = client.post(
        "/api/v1/mentors",
        json={"email": "x", "name": "", "municipality": "Seoul", "industries": {"C29": 300}},
    )
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) >= {"email", "name", "municipality", "industries"}
    assert client.post("/api/v1/mentors", data="not json").status_code == 400
    assert client.get("/api/v1/companies?page=0").status_code == 400
    assert client.get("/api/v1/companies?status=lost").status_code == 400


def test_lists_filter_like_the_pages(web_app, world, tokens):
    client = api(web_app, tokens["coordinator"])
    unmatched = client.get("/api/v1/companies?matched=no").get_json()
    assert [c["name"] for c in unmatched["items"]] == ["회사C"] and unmatched["total"] == 1
    page = client.get("/api/v1/mentors?per_page=1&page=2").get_json()
    assert (page["total"], page["pages"], len(page["items"])) == (2, 2, 1)
    mentor = client.get(f"/api/v1/mentors/{world.mentors[0]}").get_json()
    assert mentor["industries"] == {"C29": 90} and mentor["load"] == 1


def test_run_matching_review_and_approve_through_the_api(web_app, world, tokens, fake_solver):
    client = api(web_app, tokens["coordinator"])
    assert client.post("/api/v1/runs", json={"max_distance_km": 0}).status_code == 422
    run = client.post("/api/v1/runs", json={"max_distance_km": 50, "time_limit": 5})
    assert run.status_code == 201
    body = run.get_json()
    assert body["status"] == "proposed" and len(body["assignments"]) == 3
    assert sorted(row["kind"] for row in body["diff"]) == ["changed", "kept", "new"]
    approved = client.post(f"/api/v1/runs/{body['id']}/approve")
    assert approved.status_code == 200 and approved.get_json()["approved_by_id"] is not None
    assert client.post(f"/api/v1/runs/{body['id']}/discard").status_code == 409
    in_force = client.get("/api/v1/assignments").get_json()["items"]
    assert {a["run_id"] for a in in_force} == {body["id"]}
    assert client.get("/api/v1/runs").get_json()["items"][0]["id"] == body["id"]
    assert client.get("/api/v1/runs/424242").status_code == 404
