"""The coordinator plans the demo year in a real browser (Korean pages): plan now, review the
Gantt charts and changes, a what-if scenario beside the plan, approve; then the demo mentor's
year and the demo company's engagement on a phone. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import ARTIFACTS


def _sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def _until(page, text: str, seconds: float = 60) -> None:
    """Reload until `text` is on the page (a plan is solved beside the request)."""
    deadline = time.monotonic() + seconds
    while text not in page.inner_text("body"):
        assert time.monotonic() < deadline, f"{text!r} never appeared"
        time.sleep(1)
        page.reload()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"engagements-{name}.png"), full_page=True)


@pytest.mark.browser
def test_coordinator_plans_compares_a_scenario_and_approves(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ko-KR")
    context.set_default_timeout(30_000)
    page = context.new_page()
    _sign_in(page, server, "coordinator@demo.jbsf.kr", "coordinator-2026")
    page.click("nav >> text=연간 계획")
    assert "2026년 전북-삼성 스마트공장 구축 지원사업" in page.inner_text("h1")
    assert page.locator("svg.gantt").count() == 1 and "현재 계획" in page.inner_text("body")

    page.fill("input[name=time_limit]", "10")
    page.click("button:has-text('지금 계획하기')")
    _until(page, "현재 계획 대비 변경 사항")
    assert "제안됨" in page.inner_text("h1")
    assert page.locator("svg.gantt").count() == 2  # per mentor and per company
    changes = page.inner_text("#changes")
    assert "신규" in changes and "유지" in changes
    assert "선정 한도" in page.inner_text("#unselected")
    review = page.url
    _shot(page, "review")

    page.click("a:has-text('연간 계획')")
    page.fill("input[name=name]", "멘토 5명 추가")
    page.click("button:has-text('만들기')")
    page.fill(
        "textarea[name=added]",
        "\n".join(
            f"신규 멘토 {n} | {town} | automation, quality | C25:90 C29:80"
            for n, town in enumerate(("전주", "익산", "군산", "정읍", "김제"), start=1)
        ),
    )
    page.fill("input[name=quota_JS1]", "35")
    page.click("button:has-text('시나리오 저장')")
    assert "시나리오를 저장했습니다" in page.inner_text("body")
    page.fill("#comparison input[name=time_limit]", "5")
    page.click("button:has-text('이 시나리오 계산하기')")
    _until(page, "초 만에 계산")
    comparison = page.inner_text("#comparison")
    assert "현재 계획" in comparison and "멘토 5명 추가" in comparison and "35" in comparison
    _shot(page, "scenario")

    page.goto(review)
    page.click("button:has-text('승인')")
    assert "계획을 승인했습니다" in page.inner_text("body") and "승인됨" in page.inner_text("h1")
    _shot(page, "approved")
    context.close()


@pytest.mark.browser
def test_mentor_year_and_company_engagement_on_a_phone(browser, server):
    for email, password, path, expected in (
        ("mentor@demo.jbsf.kr", "mentor-2026", "/mentor/engagements", "우리 팀"),
        ("company@demo.jbsf.kr", "company-2026", "/company/engagement", "우리 회사 멘토팀"),
    ):
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR", is_mobile=True)
        page = context.new_page()
        _sign_in(page, server, email, password)
        page.goto(server + path)
        body = page.inner_text("body")
        assert expected in body and "현장 참여 중" in body
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a phone"
        _shot(page, path.strip("/").replace("/", "-") + "-phone")
        context.close()
