"""The outcomes in the JSON API: each user sees only their engagements; photos behind the same rule."""

from io import BytesIO

from tests.media.images import png
from tests.outcomes.helpers import planned_sheet
from tests.support.web import api


def test_api_lists_and_reports_only_what_the_user_may_see(web_app, clients, eng, tokens):
    planned_sheet(clients["company_a"], eng.a)
    task = {"area": "quality", "description": "검사 기준서 없음", "owner": "이주임", "due_on": "2030-01-01"}
    data = {**task, "before_photo": (BytesIO(png()), "b.png")}
    assert clients["mentor_a"].post(f"/outcomes/engagements/{eng.a}/tasks", data=data).status_code == 302

    listed = {key: api(web_app, tokens[key]).get("/api/v1/outcomes/engagements").get_json() for key in tokens}
    assert [e["id"] for e in listed["company_a"]["items"]] == [eng.a]
    assert [e["id"] for e in listed["mentor_b"]["items"]] == [eng.b]
    assert {e["id"] for e in listed["coordinator"]["items"]} == {eng.a, eng.b}
    assert listed["company_c"]["items"] == []

    company = api(web_app, tokens["company_a"])
    report = company.get(f"/api/v1/outcomes/engagements/{eng.a}").get_json()
    (kpi,) = report["kpis"]
    assert (
        kpi["baseline"] == 7.5
        and kpi["target"] == 9
        and kpi["baseline_inputs"] == {"units": "1200", "hours": "160"}
    )
    assert report["tasks_found"] == 1 and report["targets_locked_at"]
    (logged,) = company.get(f"/api/v1/outcomes/engagements/{eng.a}/tasks").get_json()["items"]
    photo_url = logged["before_photo"]["thumbnail_url"]
    assert company.get(photo_url).status_code == 200
    assert api(web_app, tokens["company_b"]).get(photo_url).status_code == 404
    for path in ("", "/kpis", "/tasks", "/surveys"):
        assert (
            api(web_app, tokens["company_b"]).get(f"/api/v1/outcomes/engagements/{eng.a}{path}").status_code
            == 404
        )
    assert api(web_app, tokens["mentor_a"]).get("/api/v1/outcomes/province").status_code == 403
    figures = api(web_app, tokens["coordinator"]).get("/api/v1/outcomes/province").get_json()
    assert figures["engagements"] == {"on_site": 2} and figures["tasks_found"] == 1
