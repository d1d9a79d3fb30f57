"""The run review for a coordinator: plain summary first, reasons on every row (ended ones
too), server-side search / filters / sort / pages, per-mentor view, export of the proposal,
two runs compared, and the confirmation pages stating what approving or discarding does."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlmodel import Session

from tests.support.web import approve
from webapp.core.db import session_scope
from webapp.directory.models import Company
from webapp.matching import views as run_views
from webapp.matching.models import MatchingRun


def text(response) -> str:
    return response.get_data(as_text=True)


def _run(client) -> int:
    return int(client.post("/coordinator/runs", data={}).headers["Location"].rsplit("/", 1)[1])


def _table(page: str) -> str:
    return page.split('class="list review"')[1].split("</table>")[0]


def test_summary_in_plain_words_and_reasons_on_ended_rows(web_app, clients, world, fake_solver):
    with session_scope(web_app.extensions["engine"]) as s:
        s.get(Company, world.companies[1]).status = "withdrawn"  # company B leaves: its mentor ends
    client = clients["coordinator"]
    run_id = _run(client)
    page = text(client.get(f"/coordinator/runs/{run_id}"))
    summary = page.split('id="summary"')[1].split("</section>")[0]
    assert "2개 기업에 멘토가 배정되고" in summary  # A kept, C new
    details = page.split('<details class="card"')[1]
    assert "OPTIMAL" not in summary and "OPTIMAL" in details  # solver terms in details
    ended = text(client.get(f"/coordinator/runs/{run_id}?show=ended"))
    rows = _table(ended)
    assert "회사B" in rows and "더 이상 사업에 참여하지 않음 (철회)" in rows


def test_search_filter_sort_and_pages(web_app, clients, world, fake_solver, monkeypatch):
    client = clients["coordinator"]
    run_id = _run(client)
    assert "회사A" not in _table(text(client.get(f"/coordinator/runs/{run_id}?q=회사C")))
    assert "회사C" in _table(text(client.get(f"/coordinator/runs/{run_id}?q=회사C")))
    by_mentor = _table(text(client.get(f"/coordinator/runs/{run_id}?mentor={world.mentors[1]}")))
    assert "회사B" in by_mentor and "회사C" not in by_mentor  # B leaves mentor B
    assert "회사" not in _table(text(client.get(f"/coordinator/runs/{run_id}?industry=C10")))
    names = re.findall(
        r"회사[ABC]", _table(text(client.get(f"/coordinator/runs/{run_id}?sort=company&desc=1")))
    )
    assert names == ["회사C", "회사B", "회사A"]
    monkeypatch.setattr(run_views, "REVIEW_PAGE_SIZE", 2)
    first = text(client.get(f"/coordinator/runs/{run_id}?sort=company"))
    second = text(client.get(f"/coordinator/runs/{run_id}?sort=company&page=2"))
    assert re.findall(r"회사[ABC]", _table(first)) == ["회사A", "회사B"]
    assert re.findall(r"회사[ABC]", _table(second)) == ["회사C"] and "이전" in second
    mentors = text(client.get(f"/coordinator/runs/{run_id}?view=mentors"))
    assert "멘토A" in mentors and "멘토B" in mentors


def test_export_of_the_proposal(clients, world, fake_solver):
    client = clients["coordinator"]
    run_id = _run(client)
    sheet = load_workbook(
        io.BytesIO(client.get(f"/coordinator/runs/{run_id}/export.xlsx?show=changed").data)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("기업", "사업자번호") and sheet.freeze_panes == "A2"
    assert [r[0] for r in rows[1:]] == ["회사B"] and rows[1][5] == "멘토B" and rows[1][6] == "멘토A"
    csv = client.get(f"/coordinator/runs/{run_id}/export.csv").data.decode("utf-8-sig")
    assert csv.count("\n") == 4  # header and three companies


def test_approve_asks_first_and_states_the_consequences(web_app, clients, world, fake_solver):
    client = clients["coordinator"]
    run_id = _run(client)
    # A plain POST (no confirmation) approves nothing: it leads to the confirmation page.
    assert (
        client.post(f"/coordinator/runs/{run_id}/approve").headers["Location"].endswith(f"/{run_id}/approve")
    )
    page = text(client.get(f"/coordinator/runs/{run_id}/approve"))
    effects = dict(
        (label.strip(), int(n)) for n, label in re.findall(r"<li><strong>(\d+)</strong>([^<]+)</li>", page)
    )
    assert list(effects.values())[:4] == [1, 1, 0, 1]  # new C, changed B, none ended, A kept
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(MatchingRun, run_id).status == "proposed"
    assert approve(client, run_id).status_code == 302
    # The page stays valid no longer: another approval of it is refused with a message.
    stale = client.post(f"/coordinator/runs/{run_id}/approve", data={"basis": "1"})
    assert stale.status_code == 409


def test_a_stale_confirmation_is_refused(web_app, clients, world, fake_solver):
    """Approving from a page opened before another run was approved acts on an old comparison."""
    client = clients["coordinator"]
    first = _run(client)
    page = text(client.get(f"/coordinator/runs/{first}/approve"))
    basis = re.search(r'name="basis" value="(\d+)"', page)[1]
    with session_scope(web_app.extensions["engine"]) as s:
        s.add(MatchingRun(status="approved", params={}))  # approved meanwhile (e.g. the scheduler)
    response = client.post(f"/coordinator/runs/{first}/approve", data={"basis": basis})
    assert response.status_code == 409 and "다시 검토" in text(response)
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(MatchingRun, first).status == "proposed"


def test_discard_asks_first_and_two_runs_compare(web_app, clients, world, fake_solver):
    client = clients["coordinator"]
    run_id = _run(client)
    assert (
        client.post(f"/coordinator/runs/{run_id}/discard").headers["Location"].endswith(f"/{run_id}/discard")
    )
    assert "이메일을 보내지 않습니다" in text(client.get(f"/coordinator/runs/{run_id}/discard"))
    assert client.post(f"/coordinator/runs/{run_id}/discard", data={"confirmed": "1"}).status_code == 302
    compared = text(client.get(f"/coordinator/runs/compare?a={world.run}&b={run_id}"))
    assert "회사B" in compared and "회사A" not in compared.split("<tbody>")[1]
    assert client.get("/coordinator/runs/compare?a=1&b=999").status_code == 404
