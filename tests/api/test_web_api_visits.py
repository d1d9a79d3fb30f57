"""Visits through the JSON API: list and get (own only), confirm, decline, cancel, done."""

from datetime import UTC, datetime, timedelta

from tests.support.visits import add_visit, visit
from tests.support.web import api


def test_each_user_lists_only_their_own_visits(web_app, world, tokens):
    mine = api(web_app, tokens["company_a"]).get("/api/v1/visits").get_json()
    assert {v["id"] for v in mine["items"]} == set(world.slots[:2])
    offered = api(web_app, tokens["company_a"]).get("/api/v1/visits?state=proposed").get_json()
    assert [v["id"] for v in offered["items"]] == [world.slots[1]]
    assert api(web_app, tokens["company_a"]).get("/api/v1/visits?state=nonsense").status_code == 400
    assert api(web_app, tokens["mentor_b"]).get(f"/api/v1/visits/{world.slots[0]}").status_code == 404
    assert api(web_app, tokens["coordinator"]).get("/api/v1/visits").get_json()["total"] == 3


def test_confirm_and_the_lost_race(web_app, world, tokens):
    client = api(web_app, tokens["company_a"])
    assert (
        api(web_app, tokens["company_b"]).post(f"/api/v1/visits/{world.slots[1]}/confirm").status_code == 404
    )
    confirmed = client.post(f"/api/v1/visits/{world.slots[1]}/confirm")
    assert confirmed.status_code == 200 and confirmed.get_json()["state"] == "confirmed"
    rival = add_visit(
        web_app,
        world.mentors[0],
        world.companies[1],
        visit(web_app, world.slots[1]).starts_at.replace(tzinfo=UTC),
    )
    lost = api(web_app, tokens["company_b"]).post(f"/api/v1/visits/{rival}/confirm")
    assert lost.status_code == 409 and "that slot was just taken" in lost.get_json()["message"]


def test_decline_cancel_and_done_validate_their_text(web_app, world, tokens, monkeypatch):
    monkeypatch.setattr("webapp.api.visits.offer_now", lambda: True)
    company = api(web_app, tokens["company_a"])
    assert company.post("/api/v1/visits/decline", json={"note": " "}).status_code == 422
    assert company.post("/api/v1/visits/decline", json=[1]).status_code == 400
    declined = company.post("/api/v1/visits/decline", json={"note": "오후"})
    assert declined.status_code == 200 and [v["id"] for v in declined.get_json()["items"]] == [world.slots[1]]
    assert company.post("/api/v1/visits/decline", json={"note": "오후"}).status_code == 409  # none left
    assert (
        api(web_app, tokens["mentor_a"]).post("/api/v1/visits/decline", json={"note": "x"}).status_code == 403
    )

    mentor = api(web_app, tokens["mentor_a"])
    assert mentor.post(f"/api/v1/visits/{world.slots[0]}/cancel", json={}).status_code == 422
    assert (
        mentor.post(
            f"/api/v1/visits/{world.slots[0]}/cancel", json={"reason": "x", "reschedule": "yes"}
        ).status_code
        == 400
    )
    moved = mentor.post(
        f"/api/v1/visits/{world.slots[0]}/cancel", json={"reason": "출장", "reschedule": True}
    )
    body = moved.get_json()
    assert moved.status_code == 200 and (body["note"], body["reason_code"], body["closed_by"]) == (
        "출장",
        "reschedule",
        "mentor",
    )

    started = add_visit(
        web_app,
        world.mentors[0],
        world.companies[0],
        datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1),
        state="confirmed",
    )
    assert company.post(f"/api/v1/visits/{started}/done", json={"report": "x"}).status_code == 409
    done = mentor.post(f"/api/v1/visits/{started}/done", json={"report": "공정 분석"})
    assert done.status_code == 200 and done.get_json()["report"] == "공정 분석"
