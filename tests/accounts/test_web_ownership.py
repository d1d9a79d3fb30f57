"""The ownership matrix: every role tries every other user's object ids, on pages and in the API.

Another's record is "not found" (404), never shown; another role's area is "not allowed" (403).
"""

import pytest

from tests.support.web import api

COORDINATOR_PAGES = [
    "/coordinator/",
    "/coordinator/companies",
    "/coordinator/mentors",
    "/coordinator/import",
    "/coordinator/runs",
    "/coordinator/runs/{run}",
    "/coordinator/companies/{company_a}",
    "/coordinator/mentors/{mentor_a}",
]


def ids(world) -> dict[str, int]:
    return {
        "run": world.run,
        "company_a": world.companies[0],
        "company_b": world.companies[1],
        "company_c": world.companies[2],
        "mentor_a": world.mentors[0],
        "mentor_b": world.mentors[1],
    }


@pytest.mark.parametrize("who", ["mentor_a", "company_a"])
def test_mentors_and_companies_are_kept_out_of_coordinator_pages(clients, world, who):
    for path in COORDINATOR_PAGES:
        assert clients[who].get(path.format(**ids(world))).status_code == 403, path
    for path in (
        "/coordinator/companies/new",
        "/coordinator/runs",
        f"/coordinator/runs/{world.run}/approve",
        f"/coordinator/companies/{world.companies[0]}/deactivate",
    ):
        assert clients[who].post(path, data={}).status_code == 403, path


def test_a_mentor_sees_only_their_own_companies(clients, world):
    client = clients["mentor_a"]
    home = client.get("/mentor/").get_data(as_text=True)
    assert "회사A" in home and "회사B" not in home and "회사C" not in home
    assert client.get(f"/mentor/companies/{world.companies[0]}").status_code == 200
    for other in [*world.companies[1:], 999999]:
        assert client.get(f"/mentor/companies/{other}").status_code == 404
    assert clients["mentor_b"].get(f"/mentor/companies/{world.companies[0]}").status_code == 404


def test_a_mentor_cannot_touch_another_mentors_availability(clients, world):
    client = clients["mentor_a"]
    other_window, other_day_off = world.windows[1], world.days_off[1]
    assert client.post(f"/mentor/windows/{other_window}/delete").status_code == 404
    assert client.post(f"/mentor/daysoff/{other_day_off}/delete").status_code == 404
    assert clients["mentor_b"].post(f"/mentor/windows/{other_window}/delete").status_code == 302


def test_a_company_sees_only_its_own_mentor_and_visits(clients, world):
    page = clients["company_a"].get("/company/").get_data(as_text=True)
    assert "회사A" in page and "멘토A" in page and "멘토B" not in page and "회사B" not in page
    alone = clients["company_c"].get("/company/").get_data(as_text=True)
    assert "아직 멘토가 배정되지 않았습니다" in alone


@pytest.mark.parametrize(
    "who, mine, others",
    [
        (
            "mentor_a",
            {"companies": ["company_a"], "mentors": ["mentor_a"]},
            {"companies": ["company_b", "company_c"], "mentors": ["mentor_b"]},
        ),
        (
            "mentor_b",
            {"companies": ["company_b"], "mentors": ["mentor_b"]},
            {"companies": ["company_a", "company_c"], "mentors": ["mentor_a"]},
        ),
        (
            "company_a",
            {"companies": ["company_a"], "mentors": ["mentor_a"]},
            {"companies": ["company_b", "company_c"], "mentors": ["mentor_b"]},
        ),
        (
            "company_c",
            {"companies": ["company_c"], "mentors": []},
            {"companies": ["company_a", "company_b"], "mentors": ["mentor_a", "mentor_b"]},
        ),
    ],
)
def test_api_ownership_matrix(web_app, world, tokens, who, mine, others):
    client = api(web_app, tokens[who])
    known = ids(world)
    for kind in ("companies", "mentors"):
        listed = {item["id"] for item in client.get(f"/api/v1/{kind}").get_json()["items"]}
        assert listed == {known[k] for k in mine[kind]}
        for key in mine[kind]:
            assert client.get(f"/api/v1/{kind}/{known[key]}").status_code == 200
        for key in others[kind]:
            assert client.get(f"/api/v1/{kind}/{known[key]}").status_code == 404
        assert client.post(f"/api/v1/{kind}", json={}).status_code == 403
        assert (
            client.patch(
                f"/api/v1/{kind}/{known[mine[kind][0]] if mine[kind] else 1}", json={"name": "x"}
            ).status_code
            == 403
        )
    assert client.get("/api/v1/runs").status_code == 403
    assert client.get(f"/api/v1/runs/{world.run}").status_code == 403
    assert client.post(f"/api/v1/runs/{world.run}/approve").status_code == 403
    assert client.post("/api/v1/runs", json={}).status_code == 403
    assignments = client.get("/api/v1/assignments").get_json()["items"]
    assert {a["company_id"] for a in assignments} <= {known[k] for k in mine["companies"]}
