"""The demo's outcomes: a completed 2025 cohort of 70 engagements with KPIs, tasks with photos and
surveys, and one engagement on site for the demo logins; loading twice adds nothing."""

from sqlmodel import Session, func, select

from webapp.core.db import session_scope
from webapp.core.media.models import Photo
from webapp.engagements.models import Engagement
from webapp.ops.demo import load_demo_data
from webapp.outcomes.figures import kpi_distributions, load_facts
from webapp.outcomes.models import ImprovementTask, Survey
from webapp.programs.models import Cohort


def _count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def test_demo_outcomes_fill_the_dashboard(web_app, media_root):
    engine = web_app.extensions["engine"]
    for _ in range(2):
        with session_scope(engine) as session:
            load_demo_data(session, media_root)
    with Session(engine) as session:
        cohort = session.exec(select(Cohort).where(Cohort.year == 2025)).one()
        assert (
            _count(session, Engagement, Engagement.cohort_id == cohort.id, Engagement.state == "completed")
            == 70
        )
        assert _count(session, Engagement, Engagement.state == "on_site") >= 1  # with the resident year
        tasks = _count(session, ImprovementTask)
        photos = session.exec(select(Photo)).all()
        assert 70 * 6 <= tasks <= 71 * 12 and len(photos) > tasks
        assert all((media_root / p.file_key[:2] / f"{p.file_key}.jpg").is_file() for p in photos[:50])
        assert _count(session, Survey, Survey.flagged) >= 1
        completed = _count(session, Engagement, Engagement.state == "completed")  # 2025's 70 and 2026's
        distributions = {d.kind: d for d in kpi_distributions(load_facts(session))}
    assert distributions["productivity"].n == 70 and 40 < distributions["productivity"].median < 110
    assert distributions["defect_rate"].median < -30
    client = web_app.test_client()
    client.post("/login", data={"email": "coordinator@demo.jbsf.kr", "password": "coordinator-2026"})
    page = client.get("/outcomes/province")
    assert page.status_code == 200 and f"{completed} / 300" in page.get_data(as_text=True)
