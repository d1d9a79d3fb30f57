"""The coordinator's journey in a real browser: sign in, import, run matching, review, approve."""

from pathlib import Path

import pytest

from tests.support.browser import sign_in

SAMPLES = Path(__file__).resolve().parents[2] / "webapp" / "samples"


@pytest.mark.browser
def test_coordinator_imports_runs_reviews_and_approves(page, server):
    sign_in(page, server, "coordinator@demo.jbsf.kr", "coordinator-2026")
    assert page.locator("h1").inner_text() == "Dashboard"

    page.click("text=Import")
    page.select_option("select[name=kind]", "companies")
    page.set_input_files("input[name=file]", str(SAMPLES / "companies.csv"))
    page.click("button:has-text('Check and import')")
    assert "companies.csv imported: 4 created, 0 updated" in page.inner_text("body")
    assert "(304)" in page.inner_text("h1")  # 300 demo companies and the 4 imported

    page.click("nav >> text=Import")

    bad = SAMPLES.parent.parent / "test-artifacts" / "bad.csv"
    bad.parent.mkdir(exist_ok=True)
    bad.write_text("business_reg_no,name,industry,municipality\n123-45-67890,X,C29,Seoul\n", encoding="utf-8")
    page.set_input_files("input[name=file]", str(bad))
    page.click("button:has-text('Check and import')")
    errors = page.inner_text(".import-errors")
    assert "row 2" in errors and "Seoul" in errors and "Nothing was saved" in errors

    page.click("nav >> text=Matching")
    page.click("button:has-text('Run matching now')")
    assert "Proposed" in page.inner_text("h1")
    rows = page.locator("table.review tbody tr")
    assert rows.count() == 50  # the first page of the proposal
    assert "same industry" in page.inner_text("table.review")
    assert page.locator("svg.map").count() == 1  # the map of the proposal

    page.click("text=Approve…")
    assert "companies get a mentor for the first time" in page.inner_text(".consequences")
    page.click("button:has-text('Yes, approve run')")
    assert "Approved" in page.inner_text("h1")
