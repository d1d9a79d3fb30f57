"""The visit workflow on the pages: confirm, decline, cancel, reschedule, done, .ics downloads,
with ownership (another's visit is 404) and roles; the race for a slot answers 409."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.visits import add_visit, audit_actions, visit


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_company_confirms_one_offered_slot(web_app, clients, world):
    client = clients["company_a"]
    page = text(client.get("/company/"))
    assert f'action="/visits/{world.slots[1]}/confirm"' in page and "이 시간으로 확정" in page
    response = client.post(f"/visits/{world.slots[1]}/confirm", follow_redirects=True)
    assert response.status_code == 200 and "방문이 확정되었습니다" in text(response)
    assert visit(web_app, world.slots[1]).state == "confirmed"
    assert "visit_confirmed" in audit_actions(web_app)


def test_a_confirmation_that_lost_the_race_is_409_and_changes_nothing(web_app, clients, world):
    taken = visit(web_app, world.slots[0])  # mentor A's confirmed visit at company A
    rival = add_visit(
        web_app,
        world.mentors[0],
        world.companies[1],
        taken.starts_at.replace(tzinfo=UTC) + timedelta(minutes=15),
    )
    response = clients["company_b"].post(f"/visits/{rival}/confirm")
    assert response.status_code == 409
    assert "그 시간은 방금 다른 방문으로 확정되었습니다" in text(response)
    assert visit(web_app, rival).state == "proposed"
    english = clients["company_b"]
    english.get("/lang/en")
    assert "That slot was just taken" in text(english.post(f"/visits/{rival}/confirm"))


def test_another_companys_slot_is_404_and_a_mentor_cannot_confirm(web_app, clients, world):
    assert clients["company_b"].post(f"/visits/{world.slots[1]}/confirm").status_code == 404
    assert clients["company_b"].post("/visits/999999/confirm").status_code == 404
    refused = clients["mentor_a"].post(f"/visits/{world.slots[1]}/confirm", follow_redirects=True)
    assert "기업이 원하는 시간을 골라 확정" in text(refused)
    assert visit(web_app, world.slots[1]).state == "proposed"
    assert clients["coordinator"].post(f"/visits/{world.slots[1]}/confirm").status_code == 403


def test_declining_all_offers_needs_a_note_and_asks_for_new_ones(web_app, clients, world, monkeypatch):
    offered = []
    monkeypatch.setattr("webapp.visits.views.offer_now", lambda: offered.append(1) or True)
    client = clients["company_a"]
    empty = client.post("/visits/decline", data={"note": "  "}, follow_redirects=True)
    assert "어떤 시간이 좋은지 메모를 적어 주세요" in text(empty) and not offered
    assert visit(web_app, world.slots[1]).state == "proposed"
    done = client.post("/visits/decline", data={"note": "오후가 좋습니다"}, follow_redirects=True)
    assert "제안된 시간을 모두 거절했습니다" in text(done) and offered == [1]
    declined = visit(web_app, world.slots[1])
    assert declined.state == "declined" and declined.note == "오후가 좋습니다"
    assert clients["mentor_a"].post("/visits/decline", data={"note": "x"}).status_code == 403


def test_declining_tells_when_new_offers_must_wait(web_app, clients, world, monkeypatch):
    monkeypatch.setattr("webapp.visits.views.offer_now", lambda: False)
    page = text(clients["company_a"].post("/visits/decline", data={"note": "다음 주"}, follow_redirects=True))
    assert "몇 분 안에 제안됩니다" in page


@pytest.mark.parametrize(
    "who, reschedule, action",
    [("company_a", "0", "visit_cancelled"), ("mentor_a", "1", "visit_reschedule_requested")],
)
def test_either_side_cancels_or_asks_to_reschedule_with_a_reason(
    web_app, clients, world, who, reschedule, action
):
    client = clients[who]
    missing = client.post(
        f"/visits/{world.slots[0]}/cancel",
        data={"reason": "", "reschedule": reschedule},
        follow_redirects=True,
    )
    assert "사유를 적어 주세요" in text(missing) and visit(web_app, world.slots[0]).state == "confirmed"
    response = client.post(
        f"/visits/{world.slots[0]}/cancel", data={"reason": "설비 점검", "reschedule": reschedule}
    )
    assert response.status_code == 302
    slot = visit(web_app, world.slots[0])
    assert slot.state == "cancelled" and "설비 점검" in slot.note
    assert action in audit_actions(web_app)
    again = client.post(f"/visits/{world.slots[0]}/cancel", data={"reason": "x"}, follow_redirects=True)
    assert "현재 취소 상태라서" in text(again)


def test_cancel_forms_are_on_both_pages_and_others_visits_are_404(clients, world):
    assert f'action="/visits/{world.slots[0]}/cancel"' in text(clients["company_a"].get("/company/"))
    for who in ("company_b", "mentor_b"):
        assert clients[who].post(f"/visits/{world.slots[0]}/cancel", data={"reason": "x"}).status_code == 404


def test_the_mentor_marks_a_started_visit_done_with_a_report(web_app, clients, world):
    started = add_visit(
        web_app,
        world.mentors[0],
        world.companies[0],
        datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2),
        state="confirmed",
    )
    refused = clients["company_a"].post(
        f"/visits/{started}/done", data={"report": "x"}, follow_redirects=True
    )
    assert "방문 완료는 멘토만 표시할 수 있습니다" in text(refused)
    too_early = clients["mentor_a"].post(
        f"/visits/{world.slots[0]}/done", data={"report": "x"}, follow_redirects=True
    )
    assert "방문이 시작된 뒤에" in text(too_early)
    assert clients["mentor_b"].post(f"/visits/{started}/done", data={"report": "x"}).status_code == 404
    response = clients["mentor_a"].post(
        f"/visits/{started}/done", data={"report": "MES 도입 논의", "week": "2026-01-05"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/mentor/schedule?week=2026-01-05"
    )
    slot = visit(web_app, started)
    assert slot.state == "done" and slot.report == "MES 도입 논의"
    assert "visit_done" in audit_actions(web_app)


def test_one_visit_downloads_as_ics_for_its_mentor_and_company_only(clients, world):
    for who in ("company_a", "mentor_a"):
        response = clients[who].get(f"/visits/{world.slots[0]}.ics")
        assert response.status_code == 200 and response.mimetype == "text/calendar"
        body = text(response)
        assert "BEGIN:VEVENT" in body and f"UID:visit-{world.slots[0]}@" in body
        assert 'filename="visit-' in response.headers["Content-Disposition"]
    for who in ("company_b", "mentor_b"):
        assert clients[who].get(f"/visits/{world.slots[0]}.ics").status_code == 404
    assert clients["coordinator"].get(f"/visits/{world.slots[0]}.ics").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(web_app, world):
    response = web_app.test_client().post(f"/visits/{world.slots[1]}/confirm")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_day_off_withdraws_the_offers_on_it_and_flags_the_confirmed_visit(web_app, clients, world):
    from webapp.core.clock import local_time

    offered, confirmed = visit(web_app, world.slots[1]), visit(web_app, world.slots[0])
    day = local_time(offered.starts_at).date()
    assert local_time(confirmed.starts_at).date() == day
    page = clients["mentor_a"].post("/mentor/daysoff", data={"day": day.isoformat()}, follow_redirects=True)
    assert "제안된 시간 1개를 철회" in text(page) and "확정된 방문이 1건" in text(page)
    assert (visit(web_app, world.slots[1]).state, visit(web_app, world.slots[1]).reason_code) == (
        "declined",
        "day_off",
    )
    assert visit(web_app, world.slots[0]).flag == "day_off"
    company = text(clients["company_a"].get("/company/"))
    assert f'action="/visits/{world.slots[1]}/confirm"' not in company  # nothing to confirm on that day
    assert clients["company_a"].post(f"/visits/{world.slots[1]}/confirm").status_code in (302, 409)
    assert visit(web_app, world.slots[1]).state == "declined"
    assert "휴무" in text(clients["mentor_a"].get(f"/mentor/schedule?week={day.isoformat()}"))
