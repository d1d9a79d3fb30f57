"""Visits that respect people, in a real browser: declining with preferences, the first sign-in
from an invitation, and no page logging a console error (CSP included), desktop and phone."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from tests.support.browser import sign_in
from tests.support.mail import link, waiting_text
from webapp.accounts.models import User
from webapp.core.clock import seoul_today
from webapp.core.db import session_scope
from webapp.core.models import OutboxEmail
from webapp.directory.models import Mentor
from webapp.ops.demo import DEMO_COMPANY, DEMO_MENTOR
from webapp.ops.demo_visits import pair_demo_logins
from webapp.ui.dates import format_date_range
from webapp.visits.models import VisitPreference

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def paired(demo_db):
    """The demo as `make run` loads it: the demo mentor and company paired, a visit in flight."""
    with session_scope(demo_db) as session:
        pair_demo_logins(session, DEMO_MENTOR, DEMO_COMPANY)


def _company_of(engine, email: str) -> int:
    with Session(engine) as s:
        return s.exec(select(User.company_id).where(User.email == email)).one()


@pytest.mark.browser
def test_the_company_declines_with_preferences_and_the_mentor_is_told(paired, page, server, demo_db):
    sign_in(page, server, "company@demo.jbsf.kr", "company-2026")
    assert page.locator("#offered li").count() == 3
    company_id = _company_of(demo_db, "company@demo.jbsf.kr")
    page.click("text=None of these times suit me")
    for day in ("Tuesday", "Wednesday", "Thursday"):
        page.click(f"#offered label:has-text('{day}')")
    page.check("input[name=half][value=pm]")
    first, last = seoul_today() + timedelta(days=30), seoul_today() + timedelta(days=34)
    page.fill("input[name=from_0]", first.isoformat())
    page.fill("input[name=to_0]", last.isoformat())
    page.fill("#decline-note", "Tue/Thu after 14:00 suit us")
    page.click("button:has-text('Decline all offered times')")
    assert "declined" in page.inner_text("body")
    with Session(demo_db) as s:
        prefs = s.exec(select(VisitPreference).where(VisitPreference.company_id == company_id)).one()
        assert (prefs.weekdays, prefs.halves, prefs.unavailable) == (
            [1, 2, 3],
            ["pm"],
            [[first.isoformat(), last.isoformat()]],
        )
        mentor = s.exec(select(Mentor).join(User).where(User.email == "mentor@demo.jbsf.kr")).one()
        told = s.exec(select(OutboxEmail).where(OutboxEmail.to_address == mentor.email)).all()
    assert any("오후" in mail.body and format_date_range(first, last) in mail.body for mail in told)
    page.goto(f"{server}/company/")
    assert page.locator("input[name=half][value=pm]").is_checked()  # kept for the next time


@pytest.mark.browser
def test_first_sign_in_from_an_invitation(page, server, demo_db):
    sign_in(page, server, "coordinator@demo.jbsf.kr", "coordinator-2026")
    with Session(demo_db) as s:
        mentor = s.exec(
            select(Mentor).where(~Mentor.id.in_(select(User.mentor_id).where(User.mentor_id.is_not(None))))
        ).first()
    page.goto(f"{server}/coordinator/mentors/{mentor.id}")
    page.click("button:has-text('Create login')")
    assert "invitation" in page.inner_text("body")
    page.reload()  # redirect after post: reloading creates nothing twice
    assert "Another user" not in page.inner_text("body")
    invitation = link(waiting_text(demo_db, mentor.email), "/invitation/")
    page.click("nav button:has-text('Sign out')")
    page.set_viewport_size(PHONE)
    page.goto(f"{server}{invitation}")
    page.fill("input[name=new]", "my-own-pass1")
    page.fill("input[name=again]", "my-own-pass1")
    page.click("button:has-text('Set my password')")
    assert page.url.endswith("/mentor/")
    page.goto(f"{server}{invitation}")
    assert "has been used or has expired" in page.inner_text("main")  # used once


def _crawl(page, base: str, paths: list[str]) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    for path in paths:
        response = page.goto(f"{base}{path}")
        assert response.status < 400, path
    return errors


@pytest.mark.browser
def test_no_page_logs_a_console_error_and_the_address_can_be_copied(paired, page, server):
    sign_in(page, server, "mentor@demo.jbsf.kr", "mentor-2026")
    errors = _crawl(
        page, server, ["/mentor/", "/mentor/schedule", "/mentor/availability", "/notifications", "/account"]
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{server}/mentor/schedule")
    page.click("form[action$='/calendar/regenerate'] button")  # the address shows on the next page only
    field = page.locator("#feed-url")
    box, viewport = field.bounding_box(), page.viewport_size
    assert box["x"] + box["width"] <= viewport["width"]  # not cut off on a phone
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("button[data-copy=feed-url]")
    expect(page.locator("button[data-copy=feed-url]")).to_have_text("Copied")  # once the clipboard took it
    for who, password, paths in (
        ("company@demo.jbsf.kr", "company-2026", ["/company/", "/notifications", "/account"]),
        (
            "coordinator@demo.jbsf.kr",
            "coordinator-2026",
            [
                "/coordinator/",
                "/coordinator/closures",
                "/coordinator/mentors",
                "/coordinator/companies",
                "/coordinator/runs",
                "/coordinator/schedule",
            ],
        ),
    ):
        page.click("nav button:has-text('Sign out')")
        page.fill("input[name=email]", who)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        errors += _crawl(page, server, paths)
    assert errors == []
    assert page.request.get(f"{server}/favicon.ico").status == 200
