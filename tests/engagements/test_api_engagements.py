"""The JSON API of cohorts, engagements, planning runs and scenarios, and its ownership matrix;
its answers carry what the pages show and are what the OpenAPI document says."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import schemathesis
from sqlmodel import Session, select

from tests.support.engagements import FIRST_MONDAY
from webapp.accounts.models import User
from webapp.api import engagements_doc, openapi, outcomes_doc, programs_doc
from webapp.engagements.models import Engagement
from webapp.engagements.weeks import week_end, week_start
from webapp.visits.models import VisitSlot

BACKENDS = ("sqlite", "postgres")
DOCUMENT = schemathesis.openapi.from_dict(openapi.document())


def _documented(response, path: str, method: str = "GET") -> dict:
    """The answer's JSON, after checking it against the OpenAPI document (raises if it differs)."""
    DOCUMENT[path][method].validate_response(response)
    return response.get_json()


def _day(day) -> str:
    """A date as the Korean pages write it (webapp.engagements.reasons.day_text), without the weekday."""
    return f"{day.year}. {day.month}. {day.day}."


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


def test_an_engagement_carries_its_weeks_state_with_who_and_when_team_and_meetings(
    web_app, plan_world, plan_clients, db_backend
):
    program = plan_world.program
    with Session(web_app.extensions["engine"]) as s:
        coordinator = s.exec(select(User).where(User.email == plan_world.users["coordinator"])).one()
        engagement = s.get(Engagement, program.on_site)
        engagement.state_changed_by_id = coordinator.id
        kickoff = VisitSlot(
            mentor_id=program.mentors[2],
            company_id=program.companies[1],
            engagement_id=program.on_site,
            purpose="kickoff",
            starts_at=datetime(2026, 11, 9, 1, tzinfo=UTC),
            ends_at=datetime(2026, 11, 9, 2, tzinfo=UTC),
            state="done",
        )
        s.add_all([engagement, kickoff])
        s.commit()
        kickoff_id, coordinator_id = kickoff.id, coordinator.id
    for who in ("coordinator", "company_on_site", "mentor_on_site"):
        e = _documented(_get(web_app, who, f"/api/v1/engagements/{program.on_site}"), "/engagements/{id}")
        assert (e["start_week"], e["end_week"], e["weeks"]) == (18, 25, 8)
        assert e["start_date"] == week_start(FIRST_MONDAY, 18).isoformat() == "2026-11-09"
        assert e["end_date"] == week_end(FIRST_MONDAY, 25).isoformat() == "2027-01-03"
        assert (e["company_name"], e["track"], e["state"]) == ("공장2", "JS1", "on_site")
        assert e["state_changed_by_id"] == coordinator_id
        assert e["state_changed_by_name"] == "coord@plan.kr" and e["state_changed_at"]
        assert e["reasons"] == ["hand-made"] and e["value"] == 0 and e["cancel_reason"] == ""
        assert [(m["name"], m["role"], m["skills"]) for m in e["team"]] == [
            ("멘토3", "lead", ["quality"]),
            ("멘토4", "member", ["automation"]),
        ]
        assert e["meetings"] == [
            {
                "visit_id": kickoff_id,
                "purpose": "kickoff",
                "starts_at": "2026-11-09T01:00:00+00:00",
                "ends_at": "2026-11-09T02:00:00+00:00",
                "state": "done",
            }
        ]
    # What the company's page shows, the API says.
    page = plan_clients["company_on_site"].get("/company/engagement").get_data(as_text=True)
    for text in (_day(week_start(FIRST_MONDAY, 18)), _day(week_end(FIRST_MONDAY, 25)), "멘토3", "JS1"):
        assert text in page
    listed = _documented(_get(web_app, "coordinator", "/api/v1/engagements"), "/engagements")
    assert {e["id"]: e["end_week"] for e in listed["items"]} == {
        program.completed: 7,
        program.on_site: 25,
        program.planned: 37,
    }


def test_a_planning_run_names_companies_weeks_teams_reasons_and_changes(
    web_app, plan_world, plan_clients, db_backend
):
    cohort = plan_world.program.cohort
    created = _post(web_app, "coordinator", "/api/v1/planning-runs", {"cohort_id": cohort, "time_limit": 5})
    run = _documented(created, "/planning-runs", "POST")
    assert run["status"] == "proposed" and run["started_at"] and run["created_by_id"]
    for row in run["engagements"]:
        assert row["end_week"] == row["start_week"] + row["weeks"] - 1
        assert row["start_date"] == week_start(FIRST_MONDAY, row["start_week"]).isoformat()
        assert row["end_date"] == week_end(FIRST_MONDAY, row["end_week"]).isoformat()
        assert row["company_name"].startswith("공장") and row["track"] in ("JS1", "JS2", "JS3")
        assert row["team"][0]["role"] == "lead" and {m["role"] for m in row["team"][1:]} <= {"member"}
        assert all(m["name"].startswith("멘토") and m["ref"] == f"m-{m['mentor_id']}" for m in row["team"])
        assert row["reasons"]
    changes = {c["company_id"]: c for c in run["changes"]}
    kept = changes[plan_world.program.companies[1]]  # the engagement on site is pinned
    assert kept["kind"] == "kept" and kept["state"] == "on_site"
    assert kept["in_force"] == kept["proposed"] and kept["in_force"]["end_week"] == 25
    assert [m["name"] for m in kept["in_force"]["team"]] == ["멘토3", "멘토4"]
    new = [c for c in run["changes"] if c["kind"] == "new"]
    assert new and all(c["in_force"] is None and c["proposed"] and c["reasons"] for c in new)
    assert {u["company_id"] for u in run["unselected"]} == set(plan_world.program.companies) - set(changes)
    assert all(u["company_name"] and u["track"] and u["score"] and u["reason"] for u in run["unselected"])
    # The review page shows the same changes.
    page = plan_clients["coordinator"].get(f"/coordinator/planning/runs/{run['id']}").get_data(as_text=True)
    table = page.split('id="changes"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr class=") == len(run["changes"])
    for change in new:
        assert (
            change["company_name"] in table
            and _day(week_start(FIRST_MONDAY, change["proposed"]["start_week"])) in table
        )

    approved = _post(web_app, "coordinator", f"/api/v1/planning-runs/{run['id']}/approve")
    decided = _documented(approved, "/planning-runs/{id}/approve", "POST")
    assert decided["approved_by_name"] == "coord@plan.kr" and decided["changes"] == []
    listed = _documented(_get(web_app, "coordinator", "/api/v1/planning-runs"), "/planning-runs")
    assert listed["items"][0]["approved_by_id"] == decided["approved_by_id"]
    live = _get(web_app, "coordinator", f"/api/v1/engagements?cohort={cohort}").get_json()["items"]
    by_company = {e["company_id"]: e for e in live}
    for row in run["engagements"]:  # the plan in force is the proposal, field for field
        e = by_company[row["company_id"]]
        assert (e["start_week"], e["end_week"], e["start_date"], e["end_date"]) == (
            row["start_week"],
            row["end_week"],
            row["start_date"],
            row["end_date"],
        )
        assert [m["mentor_id"] for m in e["team"]] == [m["mentor_id"] for m in row["team"]]


def test_a_scenario_gives_its_inputs_its_solve_beside_the_plan_in_force_and_its_runs(
    web_app, plan_world, db_backend
):
    cohort = plan_world.program.cohort
    created = _post(web_app, "coordinator", "/api/v1/scenarios", {"cohort_id": cohort, "name": "그대로"})
    scenario = _documented(created, "/scenarios", "POST")
    assert scenario["inputs"] == {
        "weeks": 44,
        "max_commute_km": 80,
        "engagement_weeks": 8,
        "team_size": 2,
        "quotas": {"JS1": 3, "JS2": 2},
        "min_per_municipality": {},
    }
    in_force = scenario["comparison"]["in_force"]
    assert in_force["served"] == 3 and in_force["per_track"]["JS1"]["selected"] == 3
    assert (
        scenario["comparison"]["scenario"] is None and scenario["latest"] is None and scenario["runs"] == []
    )
    solved = _post(web_app, "coordinator", f"/api/v1/scenarios/{scenario['id']}/solve", {"time_limit": 5})
    run = _documented(solved, "/scenarios/{id}/solve", "POST")
    again = _documented(
        _get(web_app, "coordinator", f"/api/v1/scenarios/{scenario['id']}"), "/scenarios/{id}"
    )
    assert again["latest"]["id"] == run["id"] and [r["id"] for r in again["runs"]] == [run["id"]]
    assert again["comparison"]["scenario"] == run["summary"] and run["summary"]["served"] >= 3
    assert again["comparison"]["in_force"] == in_force  # the plan in force is untouched
    assert again["sweep"] == []
    listed = _documented(_get(web_app, "coordinator", "/api/v1/scenarios"), "/scenarios")
    assert listed["items"][0]["latest"]["status"] == "solved"


def test_no_part_of_the_document_shadows_another_parts_schema():
    parts = (openapi.SCHEMAS, engagements_doc.SCHEMAS, outcomes_doc.SCHEMAS, programs_doc.SCHEMAS)
    names = [name for part in parts for name in part]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []
