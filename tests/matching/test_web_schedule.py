"""The coordinator's Schedule page: next weekly runs in Asia/Seoul, pause and resume, weekly day
and time, auto-approve and solver parameters (validated, errors by the fields), run history."""

from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session

from webapp.core.clock import SEOUL
from webapp.core.db import session_scope
from webapp.matching.models import MatchingRun, SchedulerSettings
from webapp.matching.schedule import load_settings
from webapp.matching.schedule_views import next_runs


def text(response) -> str:
    return response.get_data(as_text=True)


def settings_of(app) -> SchedulerSettings:
    with Session(app.extensions["engine"]) as s:
        return load_settings(s)


def valid(**changes) -> dict:
    return {"weekday": "2", "at": "07:30", "max_distance_km": "60", "time_limit": "20", **changes}


def test_the_page_shows_next_runs_and_is_linked_in_the_nav(clients):
    page = text(clients["coordinator"].get("/coordinator/schedule"))
    assert 'href="/coordinator/schedule"' in page and "다음 실행" in page
    assert page.count(".(월) 09:00") >= 3 and "(Asia/Seoul)" in page


def test_saving_changes_the_weekly_time_auto_approve_and_params(web_app, clients):
    client = clients["coordinator"]
    response = client.post("/coordinator/schedule", data=valid(auto_approve="1"), follow_redirects=True)
    assert (
        "일정을 저장했습니다" in text(response) and "수요일" in text(response) and "07:30" in text(response)
    )
    saved = settings_of(web_app)
    assert (saved.weekly_weekday, saved.weekly_time, saved.auto_approve) == (2, time(7, 30), True)
    assert saved.params == {"max_distance_km": 60, "time_limit": 20}
    client.post("/coordinator/schedule", data=valid(max_distance_km="", time_limit=""))
    saved = settings_of(web_app)
    assert saved.auto_approve is False and saved.params == {}


def test_invalid_fields_get_errors_next_to_them_and_nothing_is_saved(web_app, clients):
    response = clients["coordinator"].post(
        "/coordinator/schedule",
        data=valid(weekday="8", at="25:99", max_distance_km="abc", time_limit="999999"),
    )
    page = text(response)
    assert response.status_code == 400
    assert all(f'id="{name}-error"' in page for name in ("weekday", "at", "max_distance_km", "time_limit"))
    assert 'value="abc"' in page  # what was typed is kept
    saved = settings_of(web_app)
    assert (saved.weekly_weekday, saved.weekly_time, saved.params) == (0, time(9), {})


def test_pause_and_resume(web_app, clients):
    client = clients["coordinator"]
    paused = text(client.post("/coordinator/schedule/pause", data={"paused": "1"}, follow_redirects=True))
    assert (
        "자동 매칭을 일시 중지했습니다" in paused
        and "일시 중지됨" in paused
        and "자동 매칭 다시 시작" in paused
    )
    assert settings_of(web_app).paused
    client.post("/coordinator/schedule/pause", data={"paused": "0"})
    assert not settings_of(web_app).paused


def test_the_history_shows_length_matched_companies_objective_and_errors(web_app, clients, world):
    start = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    with session_scope(web_app.extensions["engine"]) as s:
        s.add(
            MatchingRun(
                trigger="weekly",
                status="failed",
                params={},
                started_at=start,
                finished_at=start + timedelta(seconds=3),
                error="RuntimeError: solver crashed",
            )
        )
        run = s.get(MatchingRun, world.run)
        run.started_at, run.finished_at, run.objective = start, start + timedelta(seconds=12.5), 4321
        s.add(run)
    page = text(clients["coordinator"].get("/coordinator/schedule"))
    assert (
        "RuntimeError: solver crashed" in page and "12.5초" in page and "4321" in page and "주간 자동" in page
    )
    row = page.split(f'/coordinator/runs/{world.run}"')[1].split("</tr>")[0]
    assert '<td class="num">2</td>' in row  # the world's run matched companies A and B


def test_only_coordinators_may_see_or_change_the_schedule(clients):
    for who in ("mentor_a", "company_a"):
        assert clients[who].get("/coordinator/schedule").status_code == 403
        assert clients[who].post("/coordinator/schedule/pause", data={"paused": "1"}).status_code == 403
        assert clients[who].post("/coordinator/schedule", data=valid()).status_code == 403


def test_next_runs_are_weekly_in_seoul_and_none_while_paused():
    settings = SchedulerSettings(weekly_weekday=0, weekly_time=time(9))
    runs = next_runs(settings, datetime(2026, 11, 24, 12, tzinfo=UTC))  # a Tuesday
    assert [r.isoformat() for r in runs] == [
        "2026-11-30T09:00:00+09:00",
        "2026-12-07T09:00:00+09:00",
        "2026-12-14T09:00:00+09:00",
    ]
    assert all(r.tzinfo.key == SEOUL.key for r in runs)
    assert next_runs(SchedulerSettings(paused=True), datetime.now(UTC)) == []
