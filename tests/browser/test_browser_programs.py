"""The program year in a real browser: a company applies on a phone (Korean, no account), and
the coordinator decides on the ranking with its cut line."""

from __future__ import annotations

import pytest

from tests.support.browser import sign_in
from tests.support.web import brn


@pytest.mark.browser
def test_a_company_applies_on_a_phone(browser, server, request):
    from tests.browser.conftest import ARTIFACTS

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR", is_mobile=True)
    page = context.new_page()
    page.goto(f"{server}/apply/")
    assert "신청" in page.inner_text("h1")
    page.fill("#f-business_reg_no", brn(777))
    page.fill("#f-company_name", "모바일정밀")
    page.fill("#f-representative", "홍길동")
    page.select_option("#f-industry", "C29")
    page.select_option("#f-municipality", "Iksan")
    page.fill("#f-address", "익산시 석암로 1")
    page.fill("#f-revenue", "2100")
    page.fill("#f-employees", "12")
    page.select_option("#f-previous_support", "no")
    page.fill("#f-contact_name", "김담당")
    page.fill("#f-contact_phone", "063-850-1234")
    page.fill("#f-contact_email", "mobile@firm.kr")
    page.select_option("#f-track", "JS1")
    page.click("button[type=submit]")
    assert "개인정보 수집·이용에 동의해야" in page.inner_text("#consent-error")  # nothing lost:
    assert page.input_value("#f-company_name") == "모바일정밀"
    page.check("#f-consent")
    page.click("button[type=submit]")
    assert "접수되었습니다" in page.inner_text(".flash")
    assert "모바일정밀" in page.inner_text("h1")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.mark.browser
def test_coordinator_selects_on_the_ranking(page, server):
    sign_in(page, server, "coordinator@demo.jbsf.kr", "coordinator-2026")
    page.click("nav.main >> text=Program year")
    page.click("text=2027년 전북-삼성 스마트공장 구축 지원사업")
    assert page.locator("svg.funnel-plot").count() == 2
    page.click("nav.subnav >> text=Ranking and selection")
    assert page.locator("tr.cut-line").count() >= 1
    first = page.locator("section#track-JS1 tbody tr").first
    name = first.locator("td").nth(1).inner_text()
    first.locator("select[name=decision]").select_option("selected")
    first.locator("input[name=reason]").fill("Top of JS1")
    first.locator("button:has-text('Decide')").click()
    assert "Decision saved" in page.inner_text(".flash")
    row = page.locator("section#track-JS1 tbody tr", has_text=name).first
    assert "Selected" in row.inner_text() and "Top of JS1" in row.inner_text()


@pytest.mark.browser
def test_the_coordinators_application_page_fits_a_phone(browser, server, demo_db, request):
    """An application with its evaluators' scores and a long contact email: the scores table
    scrolls inside its card and the email wraps, so the page never scrolls sideways."""
    from sqlmodel import Session, col, select

    from tests.browser.conftest import ARTIFACTS
    from webapp.programs.application_models import Application
    from webapp.programs.evaluation_models import EvaluationAssignment

    with Session(demo_db) as s:
        application = s.exec(
            select(Application)
            .where(col(Application.id).in_(select(EvaluationAssignment.application_id)))
            .order_by(col(Application.id))
        ).first()
        path = f"/coordinator/programs/{application.cohort_id}/applications/{application.id}"
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR", is_mobile=True)
    page = context.new_page()
    sign_in(page, server, "coordinator@demo.jbsf.kr", "coordinator-2026")
    page.click("nav.lang a[lang=ko]")  # the coordinator's own language: Korean words are longer
    page.goto(server + path)
    assert "담당자 연락처" in page.inner_text("#contact") and "온라인 신청서" in page.inner_text("dl.facts")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
