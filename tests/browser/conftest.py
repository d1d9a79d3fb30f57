"""Browser tests: Playwright driving Debian's chromium against the app served on loopback.

Each test gets its own demo database and server; its last page is saved as a screenshot under
test-artifacts/browser/ (git-ignored) for a reviewer to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.live_server import serve
from webapp.core.db import make_engine, session_scope
from webapp.matching.service import approve_run, decide, run_matching
from webapp.ops.demo import load_demo_data
from webapp.visits.planning import offer_visits

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_db(db_url):
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        load_demo_data(session)
    yield engine
    engine.dispose()


@pytest.fixture
def server(demo_db, db_url, tmp_path):
    with serve(db_url, tmp_path / "server.log") as base:
        yield base


@pytest.fixture
def matched_server(demo_db, db_url, tmp_path):
    """The demo program after an approved matching run, with visit times offered."""
    run = run_matching(demo_db)
    decide(demo_db, approve_run, run.id, None)
    offer_visits(demo_db)
    with serve(db_url, tmp_path / "server.log") as base:
        yield base


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()
