"""Outcomes in a real browser: a mentor logs a task with a photo on a phone-sized screen; the
coordinator reads the province's dashboard and follows a figure to its engagements."""

from io import BytesIO

import pytest
from PIL import Image
from sqlmodel import select

from tests.browser.conftest import ARTIFACTS
from tests.support.browser import sign_in
from tests.support.live_server import serve
from webapp.core.db import make_engine, session_scope
from webapp.engagements.models import Engagement
from webapp.ops.demo import load_demo_data

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def outcomes_server(db_url, tmp_path):
    """The demo with its outcomes (a completed cohort with photos, the demo mentor on site)."""
    media = tmp_path / "media"
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        load_demo_data(session, media)
    engine.dispose()
    with serve(db_url, tmp_path / "server.log", extra_env={"MEDIA_ROOT": str(media)}) as base:
        yield base


def _open_task_form(page) -> None:
    """The form stands open while an engagement has no task yet; otherwise its summary opens it."""
    if page.locator("details.new-task").get_attribute("open") is None:
        page.click("summary:has-text('Log a task')")


def _log_task(page, area: str, description: str, photo: tuple[str, bytes]) -> None:
    _open_task_form(page)
    page.select_option("select[name=area]", area)
    page.fill("textarea[name=description]", description)
    page.fill("input[name=owner]", "Team leader Kim")
    page.fill("input[name=due_on]", "2030-01-31")
    name, data = photo
    page.set_input_files("input[name=before_photo]", {"name": name, "mimeType": "image/jpeg", "buffer": data})
    page.click("button:has-text('Log the task')")


def _phone_photo() -> bytes:
    out = BytesIO()
    Image.new("RGB", (1600, 1200), (200, 120, 40)).save(out, format="JPEG", quality=80)
    return out.getvalue()


@pytest.mark.browser
def test_mentor_logs_a_task_with_a_photo_on_a_phone(browser, outcomes_server, request):
    context = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        sign_in(page, outcomes_server, "mentor@demo.jbsf.kr", "mentor-2026")
        page.goto(f"{outcomes_server}/outcomes/")
        page.click(".card >> nth=0 >> text=Improvement tasks")
        found = page.locator("article.task").count()
        _log_task(page, "layout", "Forklift path crosses the assembly line", ("IMG_0001.jpg", _phone_photo()))
        assert "Task logged." in page.inner_text("body")
        assert page.locator("article.task").count() == found + 1
        card = page.locator("article.task", has_text="Forklift path crosses").first
        image = card.locator(".before-after img").first
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert image.evaluate("img => img.naturalWidth") == 400  # the thumbnail, not the 1600 px original
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
        # a refused upload keeps the form and says why, next to the field
        _log_task(page, "safety", "Press guard missing", ("scan.jpg", b"%PDF-1.4 no"))
        assert "This file is not a photo" in page.inner_text("body")
        assert page.locator("article.task").count() == found + 1
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        context.close()


@pytest.mark.browser
def test_coordinator_reads_the_province_dashboard_and_follows_a_figure(page, outcomes_server, db_url):
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        completed = len(session.exec(select(Engagement).where(Engagement.state == "completed")).all())
    engine.dispose()
    sign_in(page, outcomes_server, "coordinator@demo.jbsf.kr", "coordinator-2026")
    page.click("nav >> text=Outcomes")
    assert page.inner_text("h1").startswith("Province outcomes")
    assert f"{completed} / 300" in page.inner_text(".stats")
    assert page.locator("svg.chart").count() >= 6
    assert "Needs attention" in page.inner_text("main")  # the flagged week-2 answer
    median_row = page.locator("table.kpi-figures tr", has_text="Productivity")
    met = int(median_row.locator("td").nth(5).locator("a").inner_text())
    median_row.locator("td").nth(5).locator("a").click()
    assert page.inner_text("h1") == f"Engagements ({met})"
    page.go_back()
    page.locator("svg.chart a[href*='municipality=']").first.click()
    assert page.inner_text("h1").startswith("Engagements (")
    page.locator("table.list a").first.click()
    assert "Completion report" in page.inner_text("main")
