"""The mentor's and the company's journeys in a real browser."""

import re

import pytest

from tests.support.browser import sign_in


@pytest.mark.browser
def test_mentor_sees_companies_edits_availability_and_sees_the_week(page, matched_server):
    sign_in(page, matched_server, "mentor@demo.jbsf.kr", "mentor-2026")
    heading = page.inner_text("h1")
    assert heading.startswith("My companies")
    held, capacity = map(int, re.search(r"\((\d+) / (\d+)\)", heading).groups())
    assert 1 <= held <= capacity
    assert "km" in page.inner_text("main")  # each company with its distance

    page.click("nav >> text=My days and hours")
    windows_before = page.locator("form[action$='/delete'] >> xpath=ancestor::tr").count()
    page.select_option("select[name=weekday]", "5")  # Saturday
    page.fill("input[name=starts]", "09:00")
    page.fill("input[name=ends]", "12:00")
    page.click("form[action$='/mentor/windows'] button")
    assert "Saturday" in page.inner_text("main")
    assert page.locator("form[action$='/delete'] >> xpath=ancestor::tr").count() == windows_before + 1

    page.click("nav >> text=My visits")
    assert page.inner_text("h1").startswith("My visits")
    assert page.locator(".week .day").count() == 7
    page.click("text=Next week")
    assert page.locator(".week .day").count() == 7


@pytest.mark.browser
def test_company_sees_its_mentor_and_confirms_an_offered_time(page, matched_server):
    sign_in(page, matched_server, "company@demo.jbsf.kr", "company-2026")
    assert "My mentor" in page.inner_text("main")
    offered = page.locator("#offered li")
    assert offered.count() >= 1
    first_time = offered.first.locator("span").inner_text()
    offered.first.locator("button:has-text('Confirm this time')").click()
    assert "Visit confirmed" in page.inner_text("body")
    assert page.locator("#offered li").count() == 0  # the other times were withdrawn
    upcoming = page.inner_text("main")
    assert "Confirmed" in upcoming
    assert first_time.split(" ")[0] in upcoming  # the confirmed day is among the upcoming visits
