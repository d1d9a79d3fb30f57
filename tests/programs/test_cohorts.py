"""Cohort settings: creating and editing a program year with its tracks, limits, minimums and
rules; bad input named per field; new rules re-assess the applications."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.programs.conftest import all_of, file_application, get
from webapp.programs.application_models import Application
from webapp.programs.cohorts import as_form
from webapp.programs.models import Cohort, CohortTrack

BACKENDS = ("sqlite", "postgres")


def _form(**changes) -> dict:
    form = {
        "name": "2028 시범",
        "year": "2028",
        "mode": "resident",
        "status": "draft",
        "open_at": "2028-01-15T09:00",
        "close_at": "2028-02-12T18:00",
        "first_monday": "2028-07-03",
        "weeks": "44",
        "max_commute_km": "80",
        "default_engagement_weeks": "8",
        "default_team_size": "2",
        "rule_no_other_project": "1",
        "rule_no_tax_arrears": "1",
        "track0_code": "js1",
        "track0_quota": "25",
        "track0_max_revenue": "5000",
        "track0_max_employees": "20",
        "track0_first_time_only": "1",
        "track1_code": "JS2",
        "track1_quota": "28",
        "min_Muju": "1",
    }
    form.update(changes)
    return form


def test_create_a_cohort_with_its_tracks_and_minimums(web_app, program):
    client = program.clients["coordinator"]
    assert client.get("/coordinator/programs/new").status_code == 200
    response = client.post("/coordinator/programs/new", data=_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    [cohort] = all_of(web_app, Cohort, Cohort.year == 2028)
    assert cohort.min_per_municipality == {"Muju": 1}
    assert (cohort.rule_no_other_project, cohort.rule_not_closed) == (True, False)
    assert cohort.applications_open_at is not None
    tracks = {t.code: t for t in all_of(web_app, CohortTrack, CohortTrack.cohort_id == cohort.id)}
    assert set(tracks) == {"JS1", "JS2"}
    assert tracks["JS1"].max_revenue_krw == 5_000_000_000 and tracks["JS1"].first_time_only


def test_bad_settings_are_named_and_nothing_is_saved(web_app, program):
    client = program.clients["coordinator"]
    bad = _form(
        name="",
        first_monday="2028-07-04",
        weeks="0",
        close_at="2028-01-01T09:00",
        track1_code="JS1",
        default_team_size="9",
    )
    response = client.post("/coordinator/programs/new", data=bad)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for field in ("name", "first_monday", "weeks", "close_at", "default_team_size"):
        assert f'id="{field}-error"' in html, field
    assert "두 번" in html  # the repeated track code, in Korean
    assert all_of(web_app, Cohort, Cohort.year == 2028) == []


def test_changing_a_limit_reassesses_the_applications(web_app, program):
    application_id = file_application(web_app, program.cohort, 1, revenue="4500")
    assert get(web_app, Application, application_id).eligibility == "eligible"
    client = program.clients["coordinator"]
    form = client.get(f"/coordinator/programs/{program.cohort}/settings")
    assert form.status_code == 200
    with web_app.test_request_context(), Session(web_app.extensions["engine"]) as s:
        current = as_form(s, s.get(Cohort, program.cohort))
    current["track0_max_revenue"] = "4000"
    assert client.post(f"/coordinator/programs/{program.cohort}/settings", data=current).status_code == 302
    application = get(web_app, Application, application_id)
    assert application.eligibility == "ineligible"
    assert [r["code"] for r in application.eligibility_reasons] == ["revenue_over_limit"]
    # a track in use cannot be dropped
    current.update(track0_code="", track0_quota="", track0_max_revenue="", track0_max_employees="")
    current.pop("track0_first_time_only", None)
    assert client.post(f"/coordinator/programs/{program.cohort}/settings", data=current).status_code == 400
    with Session(web_app.extensions["engine"]) as s:
        codes = set(s.exec(select(CohortTrack.code).where(CohortTrack.cohort_id == program.cohort)))
    assert "JS1" in codes
