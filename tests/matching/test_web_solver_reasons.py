"""The solver's reasons (English in its JSON contract) are shown in the page's language."""

import re

import pytest
from sqlmodel import select

import matcher
from matcher import explain
from matcher.domain import Company as SolverCompany
from matcher.domain import Params
from tests.support.web import brn
from webapp.core.db import session_scope
from webapp.desk.reassign import REASSIGNED
from webapp.directory.models import Company, Municipality
from webapp.matching.reasons import FIXED, PATTERNS, reason_text
from webapp.matching.service import PINNED_BY_COORDINATOR


def every_reason() -> list[str]:
    """One of each reason matcher.explain writes, from the matcher itself (so a changed wording
    there fails here)."""
    plain = SolverCompany("c", 35.8, 127.1, "C29", priority=3, current_mentor="m")
    pinned = SolverCompany("c", 35.8, 127.1, "C29", pinned_mentor="m")
    reasons = explain.assignment_reasons(plain, "m", 90, 31.4, Params())
    reasons += explain.assignment_reasons(plain, "m", 90, 0.4, Params(stability=50))
    reasons += explain.assignment_reasons(pinned, "m", 90, 12.0, Params())
    limit = Params(max_distance_km=80, max_municipalities_per_mentor=2)
    reasons += [
        explain.unassigned_reason(plain, limit, *args)
        for args in (
            (0, 0, 0, None, 0),
            (3, 0, 0, 112.3, 0),
            (3, 0, 0, None, 0),
            (3, 2, 2, None, 0),
            (3, 4, 1, None, 0),
            (3, 4, 0, None, 2),
        )
    ]
    return reasons


# Reasons the app writes itself: a coordinator's pin (instead of the solver's "pinned (confirmed
# visits)") and a reassignment from the visits desk.
OURS = [PINNED_BY_COORDINATOR, REASSIGNED]


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_every_solver_reason_is_translated(web_app, locale):
    reasons = every_reason() + OURS
    assert set(FIXED) <= set(reasons)  # every form the page knows comes up here
    assert all(any(pattern.fullmatch(r) for r in reasons) for pattern, _ in PATTERNS)
    with web_app.test_request_context(headers={"Cookie": f"lang={locale}"}):
        for reason in reasons:
            shown = reason_text(reason)
            assert sorted(re.findall(r"\d+", shown)) == sorted(re.findall(r"\d+", reason))
            if locale == "ko":
                assert re.search("[가-힣]", shown), (reason, shown)
            else:
                assert not re.search("[가-힣]", shown), (reason, shown)


def test_industry_names_and_unknown_reasons(web_app):
    with web_app.test_request_context(headers={"Cookie": "lang=ko"}):
        assert reason_text("no mentor of industry C11") == "C11 음료 제조업 업종 멘토 없음"
        assert reason_text("no mentor of industry X99") == "X99 업종 멘토 없음"
        assert reason_text("something new") == "something new"
    with web_app.test_request_context(headers={"Cookie": "lang=en"}):
        assert reason_text("no mentor of industry C11") == "no mentor of industry C11 Beverages"


def test_the_run_page_shows_the_reasons_in_korean(web_app, clients, world):
    with session_scope(web_app.extensions["engine"]) as s:
        jeonju = s.exec(select(Municipality).where(Municipality.name_en == "Jeonju")).one()
        s.add(
            Company(
                name="음료회사",
                business_reg_no=brn(7),
                industry_code="C11",
                municipality_id=jeonju.id,
                lat=jeonju.lat,
                lon=jeonju.lon,
                status="active",
            )
        )
    client = clients["coordinator"]
    started = client.post("/coordinator/runs", data={"max_distance_km": "80"})
    assert started.status_code == 302
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "같은 업종 C29" in page and "적합도 90" in page
    assert "C11 음료 제조업 업종 멘토 없음" in page
    assert "same industry" not in page and "no mentor of industry" not in page


def test_the_infeasible_note_names_the_mentors(web_app, world):
    """Confirmed visits alone break max_municipalities_per_mentor: the solver's note names the
    mentor by its instance id ("m-<id>"); the page names it."""
    mentor = f"m-{world.mentors[0]}"
    mentors = [{"id": mentor, "lat": 35.82, "lon": 127.15, "capacity": 3, "industries": {"C29": 90}}]
    companies = [
        {
            "id": f"c-{i}",
            "lat": 35.8,
            "lon": 127.1,
            "industry": "C29",
            "municipality": name,
            "pinned_mentor": mentor,
        }
        for i, name in enumerate(("Jeonju", "Gunsan", "Iksan"))
    ]
    instance = {
        "version": 1,
        "params": {"max_municipalities_per_mentor": 2},
        "mentors": mentors,
        "companies": companies,
    }
    result = matcher.solve(instance)
    assert result["status"] == "INFEASIBLE"
    with web_app.test_request_context(headers={"Cookie": "lang=ko"}):
        shown = reason_text(result["unassigned"][0]["reason"])
    assert shown == "멘토당 시·군 한도를 지키는 배정이 없습니다: 멘토A 멘토의 확정된 방문이 시·군 2곳을 넘음"
