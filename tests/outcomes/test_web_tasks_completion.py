"""Improvement tasks with photos, completion and sign-off, the report and its PDF."""

from io import BytesIO
from pathlib import Path

from PIL import Image
from sqlmodel import Session, select

from tests.media.images import phone_jpeg, png
from tests.outcomes.helpers import planned_sheet
from webapp.core.media.models import Photo
from webapp.engagements.models import Engagement
from webapp.outcomes.models import EngagementOutcome, ImprovementTask

BACKENDS = ("sqlite", "postgres")
TASK = {
    "area": "layout",
    "description": "자재 동선 교차로 운반 거리 과다",
    "owner": "김반장",
    "due_on": "2030-01-15",
}


def _tasks(eng_id):
    return f"/outcomes/engagements/{eng_id}/tasks"


def _log(client, eng_id, photo=None, name="before.jpg", **changes):
    data = {**TASK, **changes}
    if photo is not None:
        data["before_photo"] = (BytesIO(photo), name)
    return client.post(_tasks(eng_id), data=data, content_type="multipart/form-data")


def _rows(app, model):
    with Session(app.extensions["engine"]) as s:
        return list(s.exec(select(model)))


def _media_files(app) -> list[Path]:
    return [p for p in Path(app.config["MEDIA_ROOT"]).rglob("*.jpg")]


def test_mentor_logs_and_closes_a_task_with_photos_stripped_of_location(web_app, clients, eng):
    mentor = clients["mentor_a"]
    assert _log(mentor, eng.a, phone_jpeg(3000, 2000)).status_code == 302
    (task,) = _rows(web_app, ImprovementTask)
    assert task.state == "open" and task.before_photo_id
    photo = clients["company_a"].get(f"/media/{task.before_photo_id}")
    assert photo.status_code == 200
    image = Image.open(BytesIO(photo.data))
    assert max(image.size) == 2048 and len(image.getexif()) == 0

    close = f"{_tasks(eng.a)}/{task.id}/close"
    data = {"close_note": "레이아웃 변경, 동선 40% 단축", "after_photo": (BytesIO(png()), "after.png")}
    assert clients["company_a"].post(close, data=data, content_type="multipart/form-data").status_code == 403
    data["after_photo"] = (BytesIO(png()), "after.png")
    assert mentor.post(close, data=data, content_type="multipart/form-data").status_code == 302
    (task,) = _rows(web_app, ImprovementTask)
    assert task.state == "solved" and task.after_photo_id and task.close_note.startswith("레이아웃")
    data["after_photo"] = (BytesIO(png()), "again.png")  # a second close is refused and leaves no file
    assert mentor.post(close, data=data, content_type="multipart/form-data").status_code == 302
    assert len(_rows(web_app, Photo)) == 2 and len(_media_files(web_app)) == 4

    page = clients["company_a"].get(_tasks(eng.a)).get_data(as_text=True)
    assert f"/media/{task.before_photo_id}/thumb" in page and "해결" in page


def test_bad_photos_and_fields_are_refused_and_nothing_is_stored(web_app, clients, eng):
    mentor = clients["mentor_a"]
    cases = [
        (b"%PDF-1.4 not a photo", "report.jpg", "개선 전 사진: 사진 파일(JPEG, PNG, HEIC)이 아닙니다"),
        (phone_jpeg(400, 300)[:500], "cut.jpg", "손상되어"),
        (b"\xff\xd8" + b"\0" * (15 * 1024 * 1024 + 10), "huge.jpg", "15MB보다 큽니다"),
    ]
    for data, name, message in cases:
        response = _log(mentor, eng.a, data, name)
        assert response.status_code == 400, name
        assert message in response.get_data(as_text=True)
    response = _log(mentor, eng.a, None, description="", due_on="2030-13-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("description", "due_on", "before_photo"):
        assert f'href="#f-{field}"' in page
    assert (
        _rows(web_app, ImprovementTask) == [] and _rows(web_app, Photo) == [] and _media_files(web_app) == []
    )


def test_task_photos_belong_to_the_engagement(web_app, clients, eng):
    assert _log(clients["mentor_a"], eng.a, png()).status_code == 302
    (task,) = _rows(web_app, ImprovementTask)
    for who, status in (
        ("company_a", 200),
        ("mentor_a", 200),
        ("coordinator", 200),
        ("company_b", 404),
        ("mentor_b", 404),
    ):
        assert clients[who].get(f"/media/{task.before_photo_id}/thumb").status_code == status, who
    assert _log(clients["mentor_b"], eng.a, png()).status_code == 404  # not their team
    assert clients["company_b"].get(_tasks(eng.a)).status_code == 404


def test_completion_sign_off_report_and_pdf(web_app, clients, eng):
    mentor, coordinator = clients["mentor_a"], clients["coordinator"]
    indicator_id = planned_sheet(clients["company_a"], eng.a)
    completion = f"/outcomes/engagements/{eng.a}/completion"
    sign_off = f"/outcomes/engagements/{eng.a}/sign-off"
    assert coordinator.post(sign_off).status_code == 302  # nothing submitted: refused
    assert mentor.post(completion, data={"summary": "요약"}).status_code == 302  # actual missing: refused
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(EngagementOutcome, eng.a).submitted_at is None
    actual = f"/outcomes/engagements/{eng.a}/kpis/{indicator_id}/actual"
    assert mentor.post(actual, data={"actual-units": "1320", "actual-hours": "120"}).status_code == 302
    assert mentor.post(completion, data={"summary": ""}).status_code == 400
    assert mentor.post(completion, data={"summary": "생산성 46.7% 향상, 레이아웃 개선"}).status_code == 302
    assert mentor.post(sign_off).status_code == 403
    assert coordinator.post(sign_off).status_code == 302
    assert coordinator.post(sign_off).status_code == 302  # twice: refused, no second sign-off
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(Engagement, eng.a).state == "completed"
        assert s.get(EngagementOutcome, eng.a).signed_off_at is not None
    assert _log(mentor, eng.a, png()).status_code == 302  # a completed engagement takes no new task
    assert _rows(web_app, ImprovementTask) == []

    report = clients["company_a"].get(f"/outcomes/engagements/{eng.a}/report").get_data(as_text=True)
    assert "완료 결과보고서" in report and "+46.7%" in report and "7.5" in report
    pdf = clients["company_a"].get(f"/outcomes/engagements/{eng.a}/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert clients["company_b"].get(f"/outcomes/engagements/{eng.a}/report.pdf").status_code == 404
