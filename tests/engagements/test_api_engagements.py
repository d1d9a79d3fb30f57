"""The JSON API of cohorts, engagements, planning runs and scenarios, and its ownership matrix."""

from __future__ import annotations

import pytest

BACKENDS = ("sqlite", "postgres")


def _get(app, key, path):
    return app.test_client().get(path, headers={"Authorization": f"Bearer token-{key}"})


def _post(app, key, path, body=None):
    return app.test_client().post(path, json=body or {}, headers={"Authorization": f"Bearer token-{key}"})


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("coordinator", {"completed", "on_site", "planned"}),
        ("mentor_on_site", {"on_site"}),  # mentor 3 serves the on-site engagement only
        ("mentor_idle", set()),
        ("company_on_site", {"on_site"}),
        ("company_planned", {"planned"}),
        ("company_none", set()),
    ],
)
def test_engagement_ownership_matrix(web_app, plan_world, who, sees, db_backend):
    program = plan_world.program
    listed = _get(web_app, who, "/api/v1/engagements").get_json()["items"]
    assert {e["state"] for e in listed} == sees
    ids = {"completed": program.completed, "on_site": program.on_site, "planned": program.planned}
    for state, engagement_id in ids.items():
        response = _get(web_app, who, f"/api/v1/engagements/{engagement_id}")
        assert response.status_code == (200 if state in sees else 404), (who, state)
    if sees:
        team = _get(web_app, who, f"/api/v1/engagements/{ids[next(iter(sees))]}").get_json()["team"]
        assert team[0]["role"] == "lead" and len(team) == 2 and team[0]["email"]
    # Everyone reads the program years; only coordinators plan.
    assert _get(web_app, who, f"/api/v1/cohorts/{program.cohort}").get_json()["tracks"][0]["code"] == "JS1"
    expected = 200 if who == "coordinator" else 403
    assert _get(web_app, who, "/api/v1/planning-runs").status_code == expected
    assert _get(web_app, who, "/api/v1/scenarios").status_code == expected


def test_plan_approve_and_scenarios_through_the_api(web_app, plan_world, db_backend):
    cohort = plan_world.program.cohort
    bad = _post(web_app, "coordinator", "/api/v1/planning-runs", {"cohort_id": cohort, "time_limit": 0})
    assert bad.status_code == 422 and bad.get_json()["fields"] == {"time_limit": "must be between 1 and 600"}
    assert _post(web_app, "coordinator", "/api/v1/planning-runs", {"cohort_id": 9999}).status_code == 404
    created = _post(web_app, "coordinator", "/api/v1/planning-runs", {"cohort_id": cohort, "time_limit": 5})
    assert created.status_code == 201, created.get_json()
    run = created.get_json()
    assert run["status"] == "proposed" and run["summary"]["served"] == len(run["engagements"])
    assert {c["kind"] for c in run["changes"]} >= {"kept", "new"}
    approved = _post(web_app, "coordinator", f"/api/v1/planning-runs/{run['id']}/approve")
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    assert _post(web_app, "coordinator", f"/api/v1/planning-runs/{run['id']}/approve").status_code == 409
    live = _get(web_app, "coordinator", f"/api/v1/engagements?cohort={cohort}").get_json()
    assert live["total"] == len(run["engagements"])
    scenario = _post(web_app, "coordinator", "/api/v1/scenarios", {"cohort_id": cohort, "name": "그대로"})
    assert scenario.status_code == 201
    solved = _post(
        web_app, "coordinator", f"/api/v1/scenarios/{scenario.get_json()['id']}/solve", {"time_limit": 5}
    )
    assert solved.status_code == 201 and solved.get_json()["status"] == "solved"
    assert _get(web_app, "coordinator", f"/api/v1/planning-runs/{solved.get_json()['id']}").status_code == 404
    assert (
        _post(web_app, "mentor_on_site", "/api/v1/scenarios", {"cohort_id": cohort, "name": "x"}).status_code
        == 403
    )
