"""Exports for coordinators: ask for one (province or a city / county, a year, .xlsx or CSV), watch
its progress, download it. The file is built beside the request (a thread), as matching runs are."""

from __future__ import annotations

import threading

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlmodel import col, select

from webapp.core.ids import parse_id
from webapp.core.request_db import db
from webapp.outcomes.exports import export_root, fail_stale_jobs, run_export, start_export
from webapp.outcomes.labels import cohort_years, municipality_names
from webapp.outcomes.models import ExportFormat, ExportJob, ExportState
from webapp.outcomes.views import bp

WAIT_SECONDS = 3  # a small export is waited for; a large one shows its progress
RECENT = 30


def _coordinator() -> None:
    if current_user.role != "coordinator":
        abort(403)


@bp.get("/exports")
def exports():
    _coordinator()
    fail_stale_jobs(db())
    db().commit()
    jobs = db().exec(select(ExportJob).order_by(col(ExportJob.id).desc()).limit(RECENT)).all()
    municipalities = municipality_names(db())
    years = cohort_years(db())
    return render_template("outcomes/exports.html", jobs=jobs, municipalities=municipalities, years=years)


@bp.post("/exports")
def export_create():
    _coordinator()
    municipality = parse_id(request.form.get("municipality"))
    if municipality is not None and municipality not in municipality_names(db()):
        abort(400)
    year_text = request.form.get("year", "")
    year = int(year_text) if year_text.isdecimal() and 2000 <= int(year_text) <= 2100 else None
    fmt = request.form.get("format", "xlsx")
    if fmt not in ExportFormat.__members__:
        abort(400)
    job = start_export(db(), current_user.id, municipality, year, fmt)
    db().commit()
    app = current_app._get_current_object()
    worker = threading.Thread(target=run_export, args=(app, job.id), name=f"export-{job.id}", daemon=True)
    worker.start()
    worker.join(WAIT_SECONDS)
    return redirect(url_for("outcomes.export_status", job_id=job.id))


def _job(job_id: int) -> ExportJob:
    _coordinator()
    job = db().get(ExportJob, job_id)
    if job is None:
        abort(404)
    return job


@bp.get("/exports/<id:job_id>")
def export_status(job_id: int):
    job = _job(job_id)
    return render_template(
        "outcomes/export.html",
        job=job,
        place=municipality_names(db()).get(job.municipality_id or 0, ""),
        running=job.state in ("queued", "running"),
    )


@bp.get("/exports/<id:job_id>/download")
def export_download(job_id: int):
    job = _job(job_id)
    if job.state != ExportState.done or not job.file_name:
        abort(404)
    path = export_root(current_app) / job.file_name
    if not path.is_file():
        abort(404)
    mimetype = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if job.format == ExportFormat.xlsx
        else "application/zip"
    )
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=job.file_name)
