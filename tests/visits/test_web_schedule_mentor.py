"""The mentor's schedule: a Monday-Sunday week, navigable, and a list, with the drive between
consecutive visits of a day."""

from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlmodel import Session

from tests.support.visits import add_visit, next_week_tuesday, seoul_time
from webapp.core.clock import SEOUL
from webapp.directory.models import MentorDayOff
from webapp.ui.dates import format_date
from webapp.visits.models import VisitSlot
from webapp.visits.week_plan import monday_of, plan_week


def test_the_week_shows_visits_by_day_with_the_drive_between_them(web_app, clients, world):
    tuesday = next_week_tuesday()
    add_visit(
        web_app, world.mentors[0], world.companies[0], seoul_time(tuesday, 9), minutes=180, state="confirmed"
    )
    add_visit(
        web_app, world.mentors[0], world.companies[2], seoul_time(tuesday, 14), minutes=120, state="confirmed"
    )
    add_visit(
        web_app, world.mentors[1], world.companies[1], seoul_time(tuesday, 9), state="confirmed"
    )  # mentor B's
    client = clients["mentor_a"]
    page = client.get(f"/mentor/schedule?week={tuesday.isoformat()}").get_data(as_text=True)
    monday = tuesday - timedelta(days=1)
    assert f"{format_date(monday)} – {format_date(monday + timedelta(days=6))}" in page
    assert page.count('class="day') == 7 and "회사A" in page and "회사C" in page and "회사B" not in page
    assert "차로 약" in page  # company A -> company C: 2.2 km, a few minutes
    assert f"week={(monday - timedelta(days=7)).isoformat()}" in page
    assert f"week={(monday + timedelta(days=7)).isoformat()}" in page
    english = clients["mentor_a"]
    english.get("/lang/en")
    assert "min drive" in english.get(f"/mentor/schedule?week={tuesday}").get_data(as_text=True)


def test_a_nonsense_week_shows_this_week(clients):
    assert clients["mentor_a"].get("/mentor/schedule?week=yesterday").status_code == 200
    assert clients["company_a"].get("/mentor/schedule").status_code == 403


def _stop(company_id, lat, start, end, state="confirmed"):
    slot = SimpleNamespace(starts_at=start, ends_at=end, state=state)
    return slot, SimpleNamespace(id=company_id, lat=lat, lon=127.0)


def test_plan_week_drives_only_between_visits_that_happen_and_flags_tight_ones():
    monday = monday_of("2030-01-09", None)
    assert monday.isoformat() == "2030-01-07"
    tuesday = monday + timedelta(days=1)
    rows = [
        _stop(1, 35.80, seoul_time(tuesday, 9), seoul_time(tuesday, 11)),
        _stop(2, 36.00, seoul_time(tuesday, 11), seoul_time(tuesday, 12), state="proposed"),
        _stop(3, 36.00, seoul_time(tuesday, 11), seoul_time(tuesday, 12), state="cancelled"),
        _stop(4, 36.20, seoul_time(tuesday, 11) + timedelta(minutes=30), seoul_time(tuesday, 16)),
    ]
    days = plan_week(monday, rows, closed={monday: "신정"}, days_off={tuesday + timedelta(days=1): "출장"})
    assert [len(d.stops) for d in days] == [0, 3, 0, 0, 0, 0, 0]  # the offer is listed apart
    first, cancelled, last = days[1].stops
    assert first.drive is None and cancelled.drive is None  # nothing to drive to
    assert round(last.drive.km) == 58 and last.drive.spare_minutes == 30 and last.drive.tight
    assert (days[0].closed, days[0].day_off, days[2].closed, days[2].day_off) == ("신정", False, "출장", True)


def test_this_week_on_a_sunday_evening_is_the_coming_week():
    sunday = datetime(2026, 11, 29, 17, 59, tzinfo=SEOUL)
    assert monday_of(None, sunday).isoformat() == "2026-11-23"
    assert monday_of(None, sunday + timedelta(minutes=1)).isoformat() == "2026-11-30"
    assert monday_of("", datetime(2026, 12, 2, 8, tzinfo=SEOUL)).isoformat() == "2026-11-30"


def test_the_week_marks_days_off_and_lists_offers_and_cancelled_visits_apart(web_app, clients, world):
    tuesday = next_week_tuesday()
    cancelled = add_visit(
        web_app, world.mentors[0], world.companies[2], seoul_time(tuesday, 14), state="cancelled"
    )
    offered = add_visit(web_app, world.mentors[0], world.companies[1], seoul_time(tuesday, 9))
    with Session(web_app.extensions["engine"]) as s:
        slot = s.get(VisitSlot, cancelled)
        slot.reason_code, slot.closed_by, slot.note = "reschedule", "company", "감사 일정"
        s.add(slot)
        s.add(MentorDayOff(mentor_id=world.mentors[0], day=tuesday + timedelta(days=1), note="교육"))
        s.commit()
    page = clients["mentor_a"].get(f"/mentor/schedule?week={tuesday.isoformat()}").get_data(as_text=True)
    week_grid, rest = page.split('id="offered"', 1)[0], page.split('id="offered"', 1)[1]
    assert "일정 변경 요청(기업): 감사 일정" in page and "새 시간을 제안합니다" in page
    assert f"{format_date(seoul_time(tuesday, 9))} 09:00–10:00" in rest.split("calendar")[0]
    assert "휴무: 교육" in week_grid
    assert offered and 'class="visit proposed' not in week_grid
