"""The JSON API: tokens, reading, writing with the import's validation, runs."""

import hashlib
import re

from sqlmodel import Session, select

from tests.support.web import api, brn
from webapp.accounts.models import User
from webapp.directory.models import Company


def test_a_user_creates_and_revokes_their_token_on_the_account_page(web_app, clients):
    client = clients["coordinator"]
    page = client.post("/account/token").get_data(as_text=True)
    token = re.search(r'<code class="token">([^<]+)</code>', page).group(1)
    with Session(web_app.extensions["engine"]) as s:
        user = s.exec(select(User).where(User.email == "coord@x.kr")).one()
        assert user.api_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in clients["coordinator"].get("/account").get_data(as_text=True)  # shown once
    assert api(web_app, token).get("/api/v1/me").get_json()["role"] == "coordinator"
    client.post("/account/token/revoke")
    assert api(web_app, token).get("/api/v1/me").status_code == 401


def test_the_api_token_card_is_for_coordinators_only(clients):
    for who in ("mentor_a", "company_a"):
        assert "API 토큰" not in clients[who].get("/account").get_data(as_text=True)
        assert clients[who].post("/account/token").status_code == 403
    assert "API 토큰" in clients["coordinator"].get("/account").get_data(as_text=True)


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
