"""The province's dashboard, the lists behind its figures, and the exports read back with openpyxl."""

import csv
import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from webapp.core.clock import utcnow
from webapp.core.db import session_scope
from webapp.core.media.models import Photo
from webapp.directory.models import Company, Municipality
from webapp.engagements.models import Engagement
from webapp.outcomes.exports import run_export, start_export
from webapp.outcomes.figures import Filters, kpi_distributions, load_facts
from webapp.outcomes.models import EngagementOutcome, ExportJob, ImprovementTask, KpiIndicator, Survey

BACKENDS = ("sqlite", "postgres")


@pytest.fixture
def outcomes(web_app, eng):
    """Both engagements completed with productivity and defect KPIs, tasks and surveys; company A's
    name is a formula, to be neutralised in exports."""
    with session_scope(web_app.extensions["engine"]) as s:
        photo = Photo(owner_kind="improvement_task", owner_id=0, file_key="0" * 32, width=1, height=1,
                      size_bytes=1, source_format="JPEG")  # fmt: skip
        s.add(photo)
        s.flush()
        s.get(Company, 1).name = '=HYPERLINK("http://x")'
        s.get(Company, 2).track = "JS2"
        for engagement_id, (units, defects, met) in ((eng.a, (1760, 1, True)), (eng.b, (1100, 3, False))):
            e = s.get(Engagement, engagement_id)
            e.state = "completed"
            now = utcnow()
            s.add(EngagementOutcome(engagement_id=e.id, targets_locked_at=now, submitted_at=now,
                                    signed_off_at=now, summary="요약"))  # fmt: skip
            for kind, direction, baseline, target, actual in (
                ("productivity", "higher", 10, 15, Decimal(units) / 100),
                ("defect_rate", "lower", 4, 2, Decimal(defects)),
            ):
                values = {"baseline": Decimal(baseline), "target": Decimal(target), "actual": actual}
                s.add(KpiIndicator(engagement_id=e.id, kind=kind, direction=direction, **values))
            for i in range(3):
                solved = (
                    {"state": "solved", "closed_at": utcnow(), "after_photo_id": photo.id} if i < 2 else {}
                )
                task = {
                    "area": "layout",
                    "description": f"과제 {i}",
                    "owner": "반장",
                    "due_on": date(2026, 9, 1),
                }
                s.add(ImprovementTask(engagement_id=e.id, **task, **solved))
            s.add(Survey(engagement_id=e.id, kind="completion", due_on=e.end_date, answered_at=utcnow(),
                         rating=5 if met else 3))  # fmt: skip
    return eng


def test_figures_are_distributions_with_targets_met(web_app, outcomes):
    with Session(web_app.extensions["engine"]) as s:
        facts = load_facts(s)
    productivity, defects = kpi_distributions(facts)
    assert productivity.kind == "productivity" and productivity.values == (10.0, 76.0)
    assert productivity.median == 43.0 and (productivity.met, productivity.with_target) == (1, 2)
    assert defects.values == (-75.0, -25.0) and defects.met == 1
    assert [f.company.id for f in facts if Filters(kpi="productivity", met=True).matches(f)] == [1]


def test_dashboard_figures_link_to_the_engagements_they_count(web_app, clients, outcomes):
    page = clients["coordinator"].get("/outcomes/province").get_data(as_text=True)
    assert "<svg" in page and "2 / 300" in page and "+43.0%" in page  # productivity median
    assert "1</a> / 2" in page  # one of two firms met the productivity target
    link = "/outcomes/province/engagements?kpi=productivity&amp;bucket=completed&amp;met=1"
    assert link in page
    listed = clients["coordinator"].get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "(1)" in listed and "HYPERLINK" in listed and "+76.0%" in listed
    jeonju = "/outcomes/province/engagements?municipality=1&amp;bucket=completed"
    assert jeonju in page
    assert "(2)" in clients["coordinator"].get(jeonju.replace("&amp;", "&")).get_data(as_text=True)
    for who in ("mentor_a", "company_a"):
        assert clients[who].get("/outcomes/province").status_code == 403
        assert clients[who].get("/outcomes/exports").status_code == 403


def _export(web_app, fmt, municipality=None):
    with session_scope(web_app.extensions["engine"]) as s:
        job = start_export(s, None, municipality, None, fmt)
    run_export(web_app, job.id)
    with Session(web_app.extensions["engine"]) as s:
        job = s.get(ExportJob, job.id)
    assert job.state == "done", job.error
    return job, Path(web_app.config["EXPORT_ROOT"]) / job.file_name


def test_xlsx_export_reads_back_with_korean_headers_formats_and_no_formulas(web_app, outcomes, tmp_path):
    web_app.config["EXPORT_ROOT"] = str(tmp_path / "exports")
    _, path = _export(web_app, "xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["참여 기업", "성과지표", "개선과제", "설문"]
    engagements, kpis, tasks, surveys = (book[n] for n in book.sheetnames)
    assert [c.value for c in engagements[1]][:3] == ["연도", "기업", "시군"]
    assert engagements.freeze_panes == "A2"
    names = [row[1].value for row in engagements.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://x")' in names  # text, never a formula
    assert all(c.data_type != "f" for row in book["참여 기업"].iter_rows() for c in row)
    start = engagements.cell(row=2, column=7)
    assert start.is_date and start.number_format == "yyyy-mm-dd"
    kpi_rows = [[c.value for c in row] for row in kpis.iter_rows(min_row=2)]
    assert len(kpi_rows) == 4 and kpis.cell(row=1, column=10).value == "변화율(%)"
    productivity = [r for r in kpi_rows if r[3] == "생산성"]
    assert sorted(r[9] for r in productivity) == [10.0, 76.0]
    assert kpis.cell(row=2, column=10).number_format == "0.0"
    assert tasks.max_row == 1 + 6 and surveys.max_row == 1 + 2


def test_csv_export_per_municipality(web_app, outcomes, tmp_path):
    web_app.config["EXPORT_ROOT"] = str(tmp_path / "exports")
    with Session(web_app.extensions["engine"]) as s:
        gunsan = s.exec(select(Municipality).where(Municipality.name_en == "Gunsan")).one().id
    job, path = _export(web_app, "csv", municipality=1)
    assert "전주시" in job.file_name and path.suffix == ".zip"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        text = archive.read(names[0]).decode("utf-8")
    assert names[0].startswith("1-") and text.startswith("\ufeff연도")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 3 and rows[1][1].startswith("'=")
    _, empty = _export(web_app, "csv", municipality=gunsan)
    with zipfile.ZipFile(empty) as archive:
        assert archive.read(archive.namelist()[0]).decode("utf-8").count("\n") == 1  # headers only


def test_export_pages_make_and_serve_the_file(web_app, clients, outcomes, tmp_path):
    web_app.config["EXPORT_ROOT"] = str(tmp_path / "exports")
    coordinator = clients["coordinator"]
    response = coordinator.post("/outcomes/exports", data={"format": "xlsx", "year": ""})
    assert response.status_code == 302
    status = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "내려받기" in status
    with Session(web_app.extensions["engine"]) as s:
        job = s.exec(select(ExportJob)).one()
    download = coordinator.get(f"/outcomes/exports/{job.id}/download")
    assert download.status_code == 200 and download.data[:2] == b"PK"
    assert clients["mentor_a"].get(f"/outcomes/exports/{job.id}/download").status_code == 403


def test_a_stale_export_is_marked_failed(web_app, clients, outcomes):
    with session_scope(web_app.extensions["engine"]) as s:
        s.add(ExportJob(format="xlsx", state="running", created_at=utcnow() - timedelta(hours=1)))
    assert "실패" in clients["coordinator"].get("/outcomes/exports").get_data(as_text=True)
