"""The mentor's schedule: a Monday-Sunday week, navigable, and a list, with the drive between
consecutive visits of a day."""

from datetime import timedelta
from types import SimpleNamespace

from tests.support.visits import add_visit, next_week_tuesday, seoul_time
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
    assert f"{monday.isoformat()} – {(monday + timedelta(days=6)).isoformat()}" in page
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


def test_plan_week_drives_between_consecutive_visits_of_a_day_and_flags_tight_ones():
    monday = monday_of("2030-01-09", None)
    assert monday.isoformat() == "2030-01-07"
    tuesday = monday + timedelta(days=1)
    rows = [
        _stop(1, 35.80, seoul_time(tuesday, 9), seoul_time(tuesday, 12)),
        _stop(2, 36.00, seoul_time(tuesday, 12), seoul_time(tuesday, 13), state="proposed"),
        _stop(3, 36.20, seoul_time(tuesday, 12) + timedelta(minutes=30), seoul_time(tuesday, 16)),
    ]
    days = plan_week(monday, rows)
    assert [len(d.stops) for d in days] == [0, 3, 0, 0, 0, 0, 0]
    first, offered, last = days[1].stops
    assert first.drive is None
    assert round(offered.drive.km) == 29 and offered.drive.spare_minutes == 0 and offered.drive.tight
    assert round(last.drive.km) == 29 and last.drive.minutes == 35 and last.drive.spare_minutes == -30
