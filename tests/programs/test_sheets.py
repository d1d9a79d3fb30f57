"""The cohort's checklist and rubric, edited by a coordinator (items, weights, order), checked
field by field in Korean, audited, and frozen once sheets are scored on them: the first sheet
and an edit at the same moment are settled by the database."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlmodel import Session

from tests.programs.conftest import all_of, file_application, get, offer_inspection
from webapp.core.models import AuditLog
from webapp.programs import evaluation, rubrics
from webapp.programs.application_models import Application
from webapp.programs.evaluation_models import EvaluationAssignment
from webapp.programs.models import Cohort

BACKENDS = ("sqlite", "postgres")


def _page_form(client, cohort_id: int, kind: str) -> dict:
    """The form as the page fills it (the current items and their basis)."""
    import re

    html = client.get(f"/coordinator/programs/{cohort_id}/sheets").get_data(as_text=True)
    part = html.split(f'id="{kind}"')[1].split("</form>")[0]
    return {
        name: value
        for name, value in re.findall(r'name="((?:item\d+_\w+)|basis)"[^>]*?value="([^"]*)"', part)
        if value
    }


def test_the_coordinator_edits_the_rubric_and_scores_follow_it(web_app, program):
    client = program.clients["coordinator"]
    form = _page_form(client, program.cohort, "rubric")
    assert form["item0_ko"] == "도입 필요성" and form["item0_weight"] == "30"
    form.update(item0_weight="50", item1_order="9", item3_ko="", item3_en="", item3_weight="", item3_order="")
    form.update(item4_ko="안전 관리", item4_weight="20", item4_order="2")
    response = client.post(f"/coordinator/programs/{program.cohort}/sheets/rubric", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    rubric = get(web_app, Cohort, program.cohort).rubric
    assert [(c["key"], c["ko"], c["weight"]) for c in rubric] == [
        ("need", "도입 필요성", 50),
        ("k1", "안전 관리", 20),
        ("capacity", "추진 역량 및 의지", 25),
        ("plan", "사업계획의 적정성", 30),
    ]
    [entry] = all_of(web_app, AuditLog, AuditLog.action == "rubric_changed")
    assert len(entry.details["before"]) == 4 and entry.details["after"] == rubric
    # the evaluator's sheet is the new rubric, in its order, and the total its weighted mean
    application_id = file_application(web_app, program.cohort, 1)
    with Session(web_app.extensions["engine"], expire_on_commit=False) as s:
        assignment = evaluation.assign(s, s.get(Application, application_id), program.evaluators["ev_a"], 1)
        s.commit()
    page = program.clients["ev_a"].get(f"/evaluator/assignments/{assignment.id}").get_data(as_text=True)
    assert page.index("도입 필요성") < page.index("안전 관리") < page.index("사업계획의 적정성")
    scores = {"need": "100", "k1": "0", "capacity": "100", "plan": "100"}
    assert (
        program.clients["ev_a"].post(f"/evaluator/assignments/{assignment.id}", data=scores).status_code
        == 302
    )
    assert get(web_app, EvaluationAssignment, assignment.id).total == round(100 * 105 / 125, 2)


def test_bad_items_are_named_in_korean_and_nothing_is_saved(web_app, program):
    client = program.clients["coordinator"]
    form = _page_form(client, program.cohort, "rubric")
    form.update(item1_weight="0", item2_ko="", item3_ko="도입 필요성", item4_en="Safety", item4_weight="x")
    response = client.post(f"/coordinator/programs/{program.cohort}/sheets/rubric", data=form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "기준 2, 가중치: 0: 1에서 100 사이여야 합니다." in html
    assert "기준 3, 한국어: 필수 항목입니다." in html
    assert "기준 4, 한국어: 도입 필요성이(가) 두 번 있습니다." in html
    assert "기준 5, 가중치: 정수를 입력하세요." in html
    assert get(web_app, Cohort, program.cohort).rubric == []  # still the program's defaults
    empty = {"basis": form["basis"]}
    response = client.post(f"/coordinator/programs/{program.cohort}/sheets/checklist", data=empty)
    assert response.status_code == 400
    assert "점검표에는 항목이 하나 이상 있어야 합니다." in response.get_data(as_text=True)


def test_a_checklist_item_without_english_reads_in_korean_on_an_english_page(web_app, program):
    client = program.clients["coordinator"]
    form = _page_form(client, program.cohort, "checklist")
    form.update(item4_ko="안전 (보호구, 표지)", item4_order="1")
    assert (
        client.post(f"/coordinator/programs/{program.cohort}/sheets/checklist", data=form).status_code == 302
    )
    checklist = get(web_app, Cohort, program.cohort).checklist
    assert [i["key"] for i in checklist] == ["process", "k1", "equipment", "data", "management"]
    with web_app.test_request_context(headers={"Cookie": "lang=en"}):
        assert rubrics.item_label(checklist[1]) == "안전 (보호구, 표지)"
        assert rubrics.item_label(checklist[0]).startswith("Process")


def test_scored_items_stay_as_they_are(web_app, program):
    client = program.clients["coordinator"]
    application_id = file_application(web_app, program.cohort, 1)
    with Session(web_app.extensions["engine"], expire_on_commit=False) as s:
        assignment = evaluation.assign(s, s.get(Application, application_id), program.evaluators["ev_a"], 1)
        s.commit()
    scores = {"need": "70", "plan": "70", "capacity": "70", "impact": "70"}
    assert (
        program.clients["ev_a"].post(f"/evaluator/assignments/{assignment.id}", data=scores).status_code
        == 302
    )
    form = _page_form(client, program.cohort, "rubric")
    form["item0_weight"] = "10"
    refused = client.post(f"/coordinator/programs/{program.cohort}/sheets/rubric", data=form)
    assert refused.status_code == 409
    assert "평가 1건이 이 기준으로 제출되어 더 이상 바꿀 수 없습니다." in refused.get_data(as_text=True)
    assert get(web_app, Cohort, program.cohort).rubric == []
    page = client.get(f"/coordinator/programs/{program.cohort}/sheets").get_data(as_text=True)
    assert "Save the rubric" not in page and "평가 기준 저장" not in page and "점검표 저장" in page
    # another coordinator's edit seen after the page was opened
    form = _page_form(client, program.cohort, "checklist")
    changed = {**form, "item0_ko": "공정"}
    assert (
        client.post(f"/coordinator/programs/{program.cohort}/sheets/checklist", data=changed).status_code
        == 302
    )
    stale = client.post(
        f"/coordinator/programs/{program.cohort}/sheets/checklist", data={**form, "item1_ko": "설비"}
    )
    assert stale.status_code == 409 and "방금 다른 사람이" in stale.get_data(as_text=True)
    assert get(web_app, Cohort, program.cohort).checklist[0]["ko"] == "공정"


def test_the_first_scores_and_an_edit_at_once_one_waits_and_sees_the_other(web_app, program):
    """The evaluator's transaction holds the cohort; the coordinator's edit waits for it, then
    finds the scores and is refused: the database orders the two, whichever comes first."""
    application_id = file_application(web_app, program.cohort, 1)
    engine = web_app.extensions["engine"]
    with Session(engine, expire_on_commit=False) as s:
        assignment = evaluation.assign(s, s.get(Application, application_id), program.evaluators["ev_a"], 1)
        s.commit()
    with web_app.test_request_context(), Session(engine) as s:
        cohort = s.get(Cohort, program.cohort)
        form = {
            "basis": rubrics.basis(rubrics.rubric_of(cohort)),
            "item0_ko": "하나뿐인 기준",
            "item0_weight": "1",
        }
    outcome: dict = {}

    def edit():
        with web_app.test_request_context(), Session(engine) as second:
            try:
                rubrics.save_items(second, second.get(Cohort, program.cohort), "rubric", form, 1)
                outcome["saved"] = True
            except rubrics.SheetInvalid as exc:
                outcome["refused"] = exc

    with Session(engine) as first:
        rubrics.hold(first, program.cohort)  # what submit_scores does first
        editor = threading.Thread(target=edit)
        editor.start()
        editor.join(1.0)
        assert editor.is_alive()  # waiting for the cohort
        row = first.get(EvaluationAssignment, assignment.id)
        row.scores, row.total, row.submitted_at = {"need": 1}, 1.0, datetime.now(UTC)
        first.add(row)
        first.commit()
    editor.join(20)
    assert "refused" in outcome and outcome["refused"].conflict
    assert get(web_app, Cohort, program.cohort).rubric == []


def test_a_saved_checklist_draft_freezes_the_checklist(web_app, program):
    application_id = file_application(web_app, program.cohort, 1)
    client = program.clients["coordinator"]
    form = _page_form(client, program.cohort, "checklist")
    offer_inspection(web_app, program, application_id, checklist={"process": {"score": None, "note": "초안"}})
    refused = client.post(f"/coordinator/programs/{program.cohort}/sheets/checklist", data=form)
    assert refused.status_code == 409
    assert "현장실사 1건이 이 점검표로 저장되어" in refused.get_data(as_text=True)


def test_a_checklist_changed_while_the_photos_are_processed_refuses_the_save(
    web_app, program, monkeypatch, tmp_path
):
    """The photos are processed before the cohort is held; the checklist is checked again under
    the hold, so a save never stores notes against items that changed meanwhile."""
    from io import BytesIO

    from tests.media.images import phone_jpeg
    from webapp.core.media.models import Photo
    from webapp.programs import checklist
    from webapp.programs.inspection_models import Inspection

    web_app.config["MEDIA_ROOT"] = str(tmp_path / "media")
    inspection = offer_inspection(web_app, program, file_application(web_app, program.cohort, 1))
    real = checklist.save_photo

    def edited_meanwhile(session, store, data, **kwargs):
        monkeypatch.setattr(checklist, "save_photo", real)
        with web_app.test_request_context(), Session(web_app.extensions["engine"]) as other:
            cohort = other.get(Cohort, program.cohort)
            form = {"basis": rubrics.basis(rubrics.checklist_of(cohort)), "item0_ko": "공정만"}
            rubrics.save_items(other, cohort, "checklist", form, 1)
        return real(session, store, data, **kwargs)

    monkeypatch.setattr(checklist, "save_photo", edited_meanwhile)
    response = program.clients["mentor_a"].post(
        f"/mentor/inspections/visit/{inspection}",
        data={"finish": "0", "note_process": "메모", "photos": (BytesIO(phone_jpeg()), "IMG_0001.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 409
    assert "방금 점검표가 바뀌었습니다" in response.get_data(as_text=True)
    assert all_of(web_app, Photo) == [] and get(web_app, Inspection, inspection).checklist == {}
    assert [i["ko"] for i in get(web_app, Cohort, program.cohort).checklist] == ["공정만"]
