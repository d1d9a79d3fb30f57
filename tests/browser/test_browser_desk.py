"""The coordinator's desk in a real browser, at desktop (1366) and phone (390) widths: the run
review's summary and filters, the approval confirmation, the map (pick a mentor, zoom) and the
visits desk. Screenshots in test-artifacts/browser/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import col, select

from tests.browser.conftest import ARTIFACTS
from tests.support.browser import sign_in
from webapp.core.clock import local_time, utcnow
from webapp.core.db import make_engine, session_scope
from webapp.directory.models import MentorDayOff
from webapp.matching.models import MatchingRun
from webapp.visits.days_off import withdraw_day
from webapp.visits.models import VisitSlot


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.browser
def test_review_confirm_and_approve(page, server):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, server, "coordinator@demo.jbsf.kr", "coordinator-2026")
    page.click("nav >> text=Matching")
    page.click("button:has-text('Run matching now')")
    summary = page.inner_text("#summary")
    assert "companies get a mentor" in summary and "km on average" in summary
    assert "OPTIMAL" not in summary
    _shot(page, "desk-review-desktop")

    first = page.locator("table.review tbody tr td a").first.inner_text()
    page.fill("#f-q", first)
    page.click("form.filters button:has-text('Filter')")
    assert page.locator("table.review tbody tr").count() >= 1
    assert first in page.inner_text("table.review")

    page.click("text=Approve…")
    consequences = page.inner_text(".consequences")
    assert "emailed visit times" in consequences and "from applied to active" in consequences
    _shot(page, "desk-approve-confirmation")
    page.click("button:has-text('Yes, approve run')")
    assert "Approved" in page.inner_text("h1")
    assert "Visit times offered" in page.inner_text("#offer-progress")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.url.split("?")[0])
    assert page.evaluate("document.documentElement.scrollWidth") <= 400  # no sideways scrolling
    _shot(page, "desk-review-phone")


@pytest.mark.browser
def test_map_pick_a_mentor_and_zoom(page, matched_server):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, matched_server, "coordinator@demo.jbsf.kr", "coordinator-2026")
    svg = page.locator("svg.map")
    assert svg.locator("path.area").count() == 14  # the municipalities' real borders
    lines = svg.locator(".assignments line")
    assert lines.count() > 100
    # no tangle: lines only for the mentor picked (once the map's script runs; is_hidden would
    # not wait for it, and on a loaded machine it checked the page before the script ran)
    expect(lines.first).to_be_hidden(timeout=30_000)
    before = svg.get_attribute("viewBox")
    page.click("button[data-zoom=in]")
    assert svg.get_attribute("viewBox") != before
    page.click("button[data-zoom=reset]")
    mentor = svg.locator("rect.mentor").first
    mentor.dispatch_event("click")
    assert "focused" in svg.get_attribute("class")
    picked = mentor.get_attribute("data-mentor")
    shown = svg.locator(f'.assignments line[data-mentor="{picked}"]')
    assert shown.count() >= 1 and shown.first.is_visible()
    assert "Mentor" in page.inner_text(".map-details")  # the tapped point's details, for touch screens
    _shot(page, "desk-map-mentor-picked")


@pytest.mark.browser
def test_visits_desk_offers_new_times(page, matched_server):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, matched_server, "coordinator@demo.jbsf.kr", "coordinator-2026")
    page.goto(f"{matched_server}/coordinator/visits?state=proposed")
    assert page.locator("#visits tbody tr").count() >= 10
    assert "Offered" in page.inner_text("#visits")
    page.click("button:has-text('Offer new times now')")
    assert "New visit times were offered" in page.inner_text(".flash.success")
    _shot(page, "desk-visits-phone")


def _sign_in_korean(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", "coordinator@demo.jbsf.kr")
    page.fill("input[name=password]", "coordinator-2026")
    page.click("button[type=submit]")


@pytest.mark.browser
def test_pin_from_a_review_row_and_reassign_from_the_desk(page, matched_server, db_url):
    """In Korean, as a coordinator works: pin a company from its row of the run review, then
    reassign a visit flagged on its mentor's new day off from the visits desk's queue."""
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        run_id = s.exec(select(MatchingRun.id).where(MatchingRun.status == "approved")).one()
        visit = s.exec(  # the company confirms one of the times offered
            select(VisitSlot).where(
                VisitSlot.state == "proposed",
                VisitSlot.starts_at > utcnow(),
                col(VisitSlot.engagement_id).is_(None),  # a visiting mentor's, not a team meeting
            )
        ).first()
        visit.state = "confirmed"
        s.flush()
        s.add(MentorDayOff(mentor_id=visit.mentor_id, day=local_time(visit.starts_at).date(), note="교육"))
        withdraw_day(s, local_time(visit.starts_at).date(), mentor_id=visit.mentor_id)  # as the mentor's page
        visit_id = visit.id
    engine.dispose()

    page.set_viewport_size({"width": 1366, "height": 900})
    _sign_in_korean(page, matched_server)
    page.goto(f"{matched_server}/coordinator/runs/{run_id}")
    row = page.locator("table.review tbody tr").first
    row.locator("summary:has-text('고정·제외')").click()
    mentor = row.locator("td").nth(3).inner_text()
    row.locator("button:has-text('멘토로 고정')").click()
    assert "멘토를 유지합니다" in page.inner_text(".flash.success")
    pinned = page.inner_text("table.review tbody tr:first-child")
    assert f"고정: {mentor}" in pinned and "고정 해제" in pinned
    page.locator("table.review tbody tr").nth(1).locator("summary").click()  # the next row's choices
    _shot(page, "desk-review-row-pinned")

    page.locator("table.review tbody tr").first.locator("td a").first.click()  # the company's page
    assert mentor in page.inner_text("#pin")
    page.locator("#pin a").click()  # the mentor's page lists the company pinned to them
    assert "고정된 기업" in page.inner_text("#steering")
    _shot(page, "desk-mentor-steering")

    page.goto(f"{matched_server}/coordinator/visits")
    flagged = page.locator("tr.attention-day_off").first
    assert "멘토 휴무일" in flagged.inner_text()
    flagged.locator("a:has-text('재배정…')").click()
    assert page.url.endswith(f"/coordinator/visits/{visit_id}/reassign")
    page.select_option("#f-mentor", index=1)
    page.fill("#f-reason", "담당 멘토 교육 일정")
    _shot(page, "desk-reassign-form")
    page.click("button:has-text('재배정')")
    assert "담당 멘토가" in page.inner_text(".flash.success")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{matched_server}/coordinator/visits/{visit_id}/reassign")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400  # no sideways scrolling
    _shot(page, "desk-reassign-phone")
