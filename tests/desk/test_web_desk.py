"""The coordinator's desk: the visits desk and its attention queue, acting from it, the audit
log, the global search, the exports (read back) and the formula neutralisation."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from webapp.core.clock import local_time
from webapp.core.db import session_scope
from webapp.core.models import AuditLog, OutboxEmail
from webapp.directory.models import Company, MentorDayOff
from webapp.ui.export import neutralise
from webapp.visits.days_off import withdraw_day
from webapp.visits.models import VisitSlot


def text(response) -> str:
    return response.get_data(as_text=True)


def _slot(s, world, company: int, mentor: int, at: datetime, state: str, **fields) -> int:
    slot = VisitSlot(
        mentor_id=world.mentors[mentor],
        company_id=world.companies[company],
        starts_at=at,
        ends_at=at + timedelta(hours=2),
        state=state,
        **fields,
    )
    s.add(slot)
    s.flush()
    return slot.id


@pytest.fixture
def desk(web_app, world):
    """One visit of each kind that needs the coordinator's attention; their ids by kind."""
    now = datetime.now(UTC).replace(microsecond=0)
    with session_scope(web_app.extensions["engine"]) as s:
        day_off = s.exec(select(MentorDayOff).where(MentorDayOff.mentor_id == world.mentors[1])).one()
        on_day_off = datetime.combine(day_off.day, datetime.min.time()).replace(
            hour=1, tzinfo=UTC
        )  # 10:00 Seoul
        ids = {
            "declined": _slot(
                s, world, 2, 0, now + timedelta(days=5), "declined", note="화요일 오전이 좋습니다"
            ),
            "reschedule": _slot(
                s, world, 2, 0, now + timedelta(days=6), "cancelled", note="reschedule requested: 설비 점검"
            ),
            "unanswered": _slot(
                s, world, 1, 1, now + timedelta(days=8), "proposed", created_at=now - timedelta(days=5)
            ),
            "day_off": _slot(s, world, 1, 1, on_day_off, "confirmed"),
            "no_report": _slot(s, world, 0, 0, now - timedelta(days=2), "done", report=""),
            "fresh_offer": _slot(s, world, 1, 1, now + timedelta(days=9), "proposed"),
        }
        withdraw_day(s, day_off.day, mentor_id=world.mentors[1])  # as the day off's page does: flags it
    return ids


def test_the_attention_queue_lists_what_needs_a_coordinator(clients, desk):
    page = text(clients["coordinator"].get("/coordinator/visits"))
    queue = page.split('id="attention"')[1].split("</section>")[0]
    for kind in ("declined", "reschedule", "unanswered", "day_off", "no_report"):
        assert f"attention-{kind}" in queue, kind
    assert "화요일 오전이 좋습니다" in queue and "설비 점검" in queue
    assert queue.count("attention-unanswered") == 1  # the fresh offer is not overdue
    assert "거절" in queue  # in the page's language


def test_the_visits_list_filters_by_state_and_mentor(clients, world, desk):
    client = clients["coordinator"]
    declined = text(client.get("/coordinator/visits?state=declined"))
    table = declined.split('id="visits"')[1]
    assert "화요일 오전이 좋습니다" in table and "설비 점검" not in table
    by_mentor = text(client.get(f"/coordinator/visits?mentor={world.mentors[1]}"))
    rows = by_mentor.split('id="visits"')[1].split("</table>")[0]
    assert "회사B" in rows and "회사A" not in rows and "회사C" not in rows
    by_name = (
        text(client.get("/coordinator/visits?company_name=사C")).split('id="visits"')[1].split("</table>")[0]
    )
    assert "회사C" in by_name and "회사A" not in by_name and "회사B" not in by_name


def test_the_coordinator_cancels_a_visit_on_a_day_off_with_a_reason(web_app, clients, desk):
    client = clients["coordinator"]
    missing = client.post(f"/coordinator/visits/{desk['day_off']}/cancel", data={"reason": " "})
    assert missing.status_code == 302
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(VisitSlot, desk["day_off"]).state == "confirmed"  # nothing changed
    done = client.post(f"/coordinator/visits/{desk['day_off']}/cancel", data={"reason": "멘토 휴무"})
    assert done.status_code == 302
    with Session(web_app.extensions["engine"]) as s:
        slot = s.get(VisitSlot, desk["day_off"])
        assert slot.state == "cancelled" and "멘토 휴무" in slot.note
        mails = s.exec(select(OutboxEmail.to_address)).all()
        assert "mb@m.kr" in mails  # the mentor; the company has no contact email in the world
        assert s.exec(
            select(AuditLog).where(AuditLog.action == "visit_cancelled", AuditLog.entity_id == str(slot.id))
        ).one()
    assert "attention-day_off" not in text(client.get("/coordinator/visits"))


def test_offering_new_times_from_the_desk(web_app, clients, desk, monkeypatch):
    calls = []
    monkeypatch.setattr("webapp.visits.offering.offer_visits", lambda *args: calls.append(args))
    response = clients["coordinator"].post("/coordinator/visits/offer", follow_redirects=True)
    assert response.status_code == 200 and len(calls) == 1
    assert 'class="flash success"' in text(response)


def test_audit_log_filters(clients, web_app, world):
    client = clients["coordinator"]
    client.post(f"/coordinator/runs/{world.run}/discard", data={"confirmed": "1"})  # 409: approved run
    with session_scope(web_app.extensions["engine"]) as s:
        s.add(AuditLog(actor="scheduler", action="run_started", entity="matching_run", entity_id="7"))
        s.add(AuditLog(actor="visit planning", action="slots_offered", entity="visit_slot"))
    page = text(client.get("/coordinator/audit?action=run_started"))
    table = page.split('id="audit"')[1]
    assert "run_started" in table and "slots_offered" not in table
    by_who = text(client.get("/coordinator/audit?who=planning")).split('id="audit"')[1]
    assert "slots_offered" in by_who and "run_started" not in by_who
    by_object = text(client.get("/coordinator/audit?entity=matching_run&entity_id=7")).split('id="audit"')[1]
    assert "#7" in by_object
    assert "2999" not in text(client.get("/coordinator/audit?since=2999-01-01")).split('id="audit"')[1]
    assert "run_started" not in text(client.get("/coordinator/audit?since=2999-01-01")).split('id="audit"')[1]


def test_global_search(clients, world):
    client = clients["coordinator"]
    page = text(client.get("/coordinator/search?q=010-0000-000b"))  # mentor B's phone
    assert "멘토B" in page.split('id="found-mentors"')[1].split("</ul>")[0]
    page = text(client.get("/coordinator/search?q=회사A"))
    assert "회사A" in page.split('id="found-companies"')[1].split("</ul>")[0]
    page = text(client.get("/coordinator/search?q=mentor_a@x.kr"))
    assert "mentor_a@x.kr" in page.split('id="found-users"')[1]
    assert clients["mentor_a"].get("/coordinator/search?q=a").status_code == 403


def test_formula_cells_are_neutralised():
    for dangerous in ("=1+1", "+82", "-2", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise("회사 = 1") == "회사 = 1" and neutralise(3) == 3 and neutralise(None) is None


def test_exports_read_back(web_app, clients, world, desk):
    with session_scope(web_app.extensions["engine"]) as s:
        s.get(Company, world.companies[0]).name = '=HYPERLINK("http://evil","x")'
    client = clients["coordinator"]
    response = client.get("/coordinator/export/assignments.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    headers = [c.value for c in sheet[1]]
    assert headers[:2] == ["기업", "사업자번호"] and "멘토" in headers and "km" in headers
    assert sheet.freeze_panes == "A2"
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert '\'=HYPERLINK("http://evil","x")' in rows and "회사B" in rows
    km = headers.index("km")
    assert rows["회사B"][km] == 5.0 and sheet.cell(row=2, column=km + 1).number_format == "#,##0.0"
    assert rows["회사B"][1] == "102-81-00029"[:4] + rows["회사B"][1][4:]  # formatted business number

    csv_response = client.get("/coordinator/export/companies.csv")
    assert csv_response.data.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    lines = list(csv.reader(io.StringIO(csv_response.data.decode("utf-8-sig"))))
    assert lines[0][0] == "기업" and any(line[0].startswith("'=HYPERLINK") for line in lines[1:])

    visits = load_workbook(
        io.BytesIO(client.get("/coordinator/export/visits.xlsx?state=declined").data)
    ).active
    values = list(visits.iter_rows(min_row=2, values_only=True))
    assert len(values) == 1 and values[0][5] == "화요일 오전이 좋습니다"
    assert (
        isinstance(values[0][0], datetime)
        and visits.cell(row=2, column=1).number_format == "yyyy-mm-dd hh:mm"
    )

    assert client.get("/coordinator/export/nothing.xlsx").status_code == 404
    assert client.get("/coordinator/export/companies.pdf").status_code == 404
    assert clients["mentor_a"].get("/coordinator/export/companies.csv").status_code == 403


def test_monthly_activity_counts_days_and_km(web_app, clients, world):
    """Two visits on one day at two companies: one visit day, home -> A -> B -> home x 1.3."""
    from matcher.slots.travel import haversine_km

    day = datetime(2026, 10, 14, 0, 0, tzinfo=UTC)  # 09:00 Seoul
    with session_scope(web_app.extensions["engine"]) as s:
        _slot(s, world, 0, 0, day, "done", report="ok")
        _slot(s, world, 1, 0, day + timedelta(hours=3), "done", report="ok")
        _slot(s, world, 2, 0, day + timedelta(days=1), "cancelled")
    with Session(web_app.extensions["engine"]) as s:
        from webapp.directory.models import Mentor

        mentor = s.get(Mentor, world.mentors[0])
        a, b = (s.get(Company, world.companies[i]) for i in (0, 1))
        expected = 1.3 * (
            haversine_km(mentor.lat, mentor.lon, a.lat, a.lon)
            + haversine_km(a.lat, a.lon, b.lat, b.lon)
            + haversine_km(b.lat, b.lon, mentor.lat, mentor.lon)
        )
    sheet = load_workbook(
        io.BytesIO(clients["coordinator"].get("/coordinator/export/activity.xlsx?month=2026-10").data)
    ).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    month, name, _email, days, visits, km = rows[0]
    assert (month, name, days, visits) == ("2026-10", "멘토A", 1, 2)
    assert km == pytest.approx(expected)
    assert local_time(day).hour == 9


def test_visits_flagged_on_a_new_day_off_or_closure_day_wait_in_the_queue_until_sorted_out(
    web_app, clients, world
):
    """webapp.visits.days_off flags the confirmed visits on a mentor's new day off or a new
    closure day; the desk lists them with what can be done, and "keep" clears the flag once."""
    engine = web_app.extensions["engine"]
    with Session(engine) as s:
        on_b, on_a = (s.get(VisitSlot, world.slots[i]) for i in (2, 0))
    clients["mentor_b"].post("/mentor/daysoff", data={"day": local_time(on_b.starts_at).date().isoformat()})
    closure = local_time(on_a.starts_at).date() + timedelta(days=7)
    with session_scope(engine) as s:
        s.get(VisitSlot, world.slots[0]).starts_at += timedelta(days=7)
        s.get(VisitSlot, world.slots[0]).ends_at += timedelta(days=7)
    clients["coordinator"].post(
        "/coordinator/closures", data={"day": closure.isoformat(), "name": "창립기념일"}
    )
    client = clients["coordinator"]
    queue = text(client.get("/coordinator/visits")).split('id="attention"')[1].split("</section>")[0]
    day_off = queue.split("attention-day_off")[1].split("</tr>")[0]
    closed = queue.split("attention-closure")[1].split("</tr>")[0]
    assert "멘토 휴무일" in day_off and "회사B" in day_off and "휴업일" in closed and "회사A" in closed
    for row, slot in ((day_off, world.slots[2]), (closed, world.slots[0])):
        assert f"/coordinator/visits/{slot}/keep" in row and f"/coordinator/visits/{slot}/cancel" in row
        assert f"/coordinator/visits/{slot}/reassign" in row

    kept = client.post(f"/coordinator/visits/{world.slots[2]}/keep", follow_redirects=True)
    assert "방문을 확정된 대로 유지합니다" in text(kept)
    assert "attention-day_off" not in text(kept).split('id="attention"')[1].split("</section>")[0]
    with Session(engine) as s:
        assert (
            s.get(VisitSlot, world.slots[2]).flag == ""
            and s.get(VisitSlot, world.slots[2]).state == "confirmed"
        )
        entry = s.exec(select(AuditLog).where(AuditLog.action == "visit_kept")).one()
        assert entry.entity_id == str(world.slots[2]) and entry.details == {"flag": "day_off"}
    again = client.post(f"/coordinator/visits/{world.slots[2]}/keep", follow_redirects=True)
    assert 'class="flash error"' in text(again)
