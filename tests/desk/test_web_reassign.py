"""Reassigning from the visits desk: the company gets another mentor from now on (its assignment
in force changes), its confirmed visits with the former mentor are cancelled with the reason, or
the one in question is handed over at its time when agreed; the company and both mentors are
told in Korean; audited; refusals name the field; races are settled by the database.

The world: company B's mentor in force is mentor B, with a confirmed visit in three days
(world.slots[2]); mentor A serves company A (a confirmed visit two hours earlier that day).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from webapp.core.clock import local_time
from webapp.core.db import session_scope
from webapp.core.models import AuditLog, Notification, OutboxEmail
from webapp.desk import reassign as reassign_module
from webapp.desk import views as desk_views
from webapp.directory.models import MentorExclusion
from webapp.matching.models import Assignment, CompanyPin
from webapp.visits.models import VisitSlot

BACKENDS = ("sqlite", "postgres")  # the database settles the races (primary keys, no double booking)


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def offers(monkeypatch):
    """The new mentor's times are offered beside the request: record that it was asked for."""
    calls = []
    monkeypatch.setattr(desk_views, "offer_in_background", lambda: calls.append(1))
    return calls


def _in_force(web_app, company_id: int) -> Assignment:
    with Session(web_app.extensions["engine"]) as s:
        return s.exec(
            select(Assignment).where(Assignment.company_id == company_id, Assignment.state == "approved")
        ).one()


def _slot(web_app, slot_id: int) -> VisitSlot:
    with Session(web_app.extensions["engine"]) as s:
        return s.get(VisitSlot, slot_id)


def _error(response) -> str:
    found = re.search(r'id="reassign-error">([^<]+)<', text(response))
    assert found, text(response)[:3000]
    return found[1]


def test_reassigning_moves_the_company_cancels_its_visits_and_tells_everyone(web_app, clients, world, offers):
    client = clients["coordinator"]
    company_b, (mentor_a, mentor_b), visit = world.companies[1], world.mentors, world.slots[2]
    page = text(client.get(f"/coordinator/visits/{visit}/reassign"))
    options = page.split('id="f-mentor"')[1].split("</select>")[0]
    assert "멘토A" in options and "멘토B" not in options  # the former mentor is not offered
    assert "회사B 재배정" in page

    missing = client.post(f"/coordinator/visits/{visit}/reassign", data={"mentor_id": mentor_a, "pin": "1"})
    assert missing.status_code == 400 and _error(missing).startswith("사유:")
    assert _in_force(web_app, company_b).mentor_id == mentor_b  # nothing changed

    done = client.post(
        f"/coordinator/visits/{visit}/reassign",
        data={"mentor_id": mentor_a, "reason": "멘토 장기 출장", "pin": "1"},
        follow_redirects=True,
    )
    assert "회사B의 담당 멘토가 멘토A 멘토로 바뀌었습니다" in text(done)
    assignment = _in_force(web_app, company_b)
    assert assignment.mentor_id == mentor_a and assignment.reasons == ["reassigned by a coordinator"]
    cancelled = _slot(web_app, visit)
    assert (cancelled.state, cancelled.note, cancelled.closed_by) == (
        "cancelled",
        "멘토 장기 출장",
        "coordinator",
    )
    assert offers == [1]  # mentor A's times are offered next
    with Session(web_app.extensions["engine"]) as s:
        pin = s.get(CompanyPin, company_b)
        assert (pin.mentor_id, pin.reason) == (mentor_a, "멘토 장기 출장")
        entry = s.exec(select(AuditLog).where(AuditLog.action == "company_reassigned")).one()
        assert entry.entity_id == str(company_b)
        assert entry.details["from_mentor"] == mentor_b and entry.details["to_mentor"] == mentor_a
        assert entry.details["cancelled"] == [visit]
        codes = set(s.exec(select(Notification.code)))
        assert {"mentor_reassigned_company", "mentor_reassigned_former", "mentor_reassigned_new"} <= codes
        subjects = dict(s.exec(select(OutboxEmail.to_address, OutboxEmail.subject)).all())
    assert subjects["mb@m.kr"] == "회사B의 담당 멘토가 바뀌었습니다"  # the former mentor, in Korean
    assert subjects["ma@m.kr"] == "새 담당 기업: 회사B"
    assert subjects["company_b@x.kr"] == "담당 멘토가 멘토A 멘토로 바뀌었습니다"
    review = text(client.get(f"/coordinator/runs/{world.run}?q=회사B"))
    assert "코디네이터가 재배정" in review  # the assignment's reason, translated


def test_a_visit_on_a_day_off_is_flagged_and_handed_over_at_its_time(web_app, clients, world, offers):
    company_b, (mentor_a, mentor_b), visit = world.companies[1], world.mentors, world.slots[2]
    day = local_time(_slot(web_app, visit).starts_at).date()
    clients["mentor_b"].post("/mentor/daysoff", data={"day": day.isoformat(), "note": "교육"})
    assert _slot(web_app, visit).flag == "day_off"
    client = clients["coordinator"]
    queue = text(client.get("/coordinator/visits")).split('id="attention"')[1].split("</section>")[0]
    row = queue.split("attention-day_off")[1].split("</tr>")[0]
    assert "회사B" in row and "방문 유지" in row and f"/coordinator/visits/{visit}/reassign" in row
    form = text(client.get(f"/coordinator/visits/{visit}/reassign"))
    assert "같은 시간에 이 방문을 맡음" in form

    client.post(
        f"/coordinator/visits/{visit}/reassign",
        data={"mentor_id": mentor_a, "reason": "멘토B 교육", "keep_time": "1"},
    )
    moved = _slot(web_app, visit)
    assert (moved.state, moved.mentor_id, moved.flag) == ("confirmed", mentor_a, "")
    assert _in_force(web_app, company_b).mentor_id == mentor_a
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(CompanyPin, company_b) is None  # not asked for
    assert "attention-day_off" not in text(client.get("/coordinator/visits"))
    assert mentor_b != mentor_a


def test_handing_over_is_refused_when_the_new_mentor_is_busy_then(web_app, clients, world, offers):
    """The database's no-double-booking rule settles it; nothing of the reassignment remains."""
    company_b, company_c, (mentor_a, mentor_b), visit = *world.companies[1:], world.mentors, world.slots[2]
    with session_scope(web_app.extensions["engine"]) as s:
        original = s.get(VisitSlot, visit)
        s.add(
            VisitSlot(
                mentor_id=mentor_a,
                company_id=company_c,
                starts_at=original.starts_at + timedelta(minutes=10),
                ends_at=original.ends_at + timedelta(minutes=10),
                state="confirmed",
            )
        )
    refused = clients["coordinator"].post(
        f"/coordinator/visits/{visit}/reassign",
        data={"mentor_id": mentor_a, "reason": "교육", "keep_time": "1", "pin": "1"},
    )
    assert refused.status_code == 400
    assert _error(refused) == "멘토: 멘토A 멘토는 그 시간에 다른 확정된 방문이 있습니다."
    assert _in_force(web_app, company_b).mentor_id == mentor_b
    assert (_slot(web_app, visit).mentor_id, _slot(web_app, visit).state) == (mentor_b, "confirmed")
    assert offers == []


def test_reassigning_refusals_name_the_field(web_app, clients, world, offers, monkeypatch):
    client = clients["coordinator"]
    company_b, (mentor_a, mentor_b), visit = world.companies[1], world.mentors, world.slots[2]

    def post(**data):
        return client.post(f"/coordinator/visits/{visit}/reassign", data={"reason": "사유", **data})

    assert _error(post()) == "멘토: 멘토를 고르세요."
    assert _error(post(mentor_id=mentor_b)) == "멘토: 멘토B 멘토는 이미 이 기업의 담당 멘토입니다."
    day = local_time(_slot(web_app, visit).starts_at).date()
    clients["mentor_a"].post("/mentor/daysoff", data={"day": day.isoformat()})
    assert _error(post(mentor_id=mentor_a, keep_time="1")) == "멘토: 멘토A 멘토는 방문일에 휴무입니다."
    with session_scope(web_app.extensions["engine"]) as s:
        s.get(VisitSlot, visit).flag = "closure"
    assert _error(post(mentor_id=mentor_a, keep_time="1")).startswith("방문: 방문일이 휴업일입니다")
    with session_scope(web_app.extensions["engine"]) as s:
        s.get(VisitSlot, visit).flag = ""
    with session_scope(web_app.extensions["engine"]) as s:
        s.add(MentorExclusion(mentor_id=mentor_a, company_id=company_b, reason="친척"))
    assert "배정 제외" in _error(post(mentor_id=mentor_a))
    with session_scope(web_app.extensions["engine"]) as s:
        s.delete(s.get(MentorExclusion, (mentor_a, company_b)))

    # Another coordinator (or an approved run) changed the company's mentor after it was read:
    # the conditional update finds nothing to change.
    stale = _in_force(web_app, company_b)
    with session_scope(web_app.extensions["engine"]) as s:
        s.get(Assignment, stale.id).state = "ended"
    monkeypatch.setattr(reassign_module, "current_assignment", lambda session, company_id: stale)
    assert _error(post(mentor_id=mentor_a)) == "기업: 방금 담당 멘토가 바뀌었습니다. 다시 확인하세요."
    assert offers == []
    with Session(web_app.extensions["engine"]) as s:
        assert not s.exec(select(AuditLog).where(AuditLog.action == "company_reassigned")).all()


def test_a_company_without_a_mentor_in_force_is_sent_to_steering(web_app, clients, world):
    with session_scope(web_app.extensions["engine"]) as s:
        slot = VisitSlot(
            mentor_id=world.mentors[0],
            company_id=world.companies[2],  # company C has no assignment in the world
            starts_at=s.get(VisitSlot, world.slots[0]).starts_at + timedelta(days=1),
            ends_at=s.get(VisitSlot, world.slots[0]).ends_at + timedelta(days=1),
            state="proposed",
        )
        s.add(slot)
        s.flush()
        slot_id = slot.id
    page = text(clients["coordinator"].get(f"/coordinator/visits/{slot_id}/reassign"))
    assert "현재 배정된 멘토가 없습니다" in page and 'name="mentor_id"' not in page
    assert clients["coordinator"].get("/coordinator/visits/9999/reassign").status_code == 404
    assert clients["mentor_a"].get(f"/coordinator/visits/{slot_id}/reassign").status_code == 403


def test_a_resident_teams_meeting_is_not_reassigned_from_the_desk(web_app, world):
    """Its mentors are the engagement's team, planned with the engagement (the queue shows no
    Reassign… for it)."""
    with web_app.test_request_context("/"), Session(web_app.extensions["engine"]) as s:
        meeting = VisitSlot(
            company_id=world.companies[1],
            mentor_id=world.mentors[1],
            engagement_id=1,
            starts_at=s.get(VisitSlot, world.slots[2]).starts_at,
            ends_at=s.get(VisitSlot, world.slots[2]).ends_at,
            state="confirmed",
        )
        with pytest.raises(reassign_module.ReassignRefused, match=r"^방문: 상주 팀의 회의입니다"):
            reassign_module.reassign(s, meeting, world.mentors[0], "사유", 1, keep_time=False, pin=False)
