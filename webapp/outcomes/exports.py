"""Exports of the outcomes: one workbook (.xlsx) or a .zip of CSV files, for the province or one
city or county: engagements, KPIs, improvement tasks, surveys, with Korean headers and number
formats. Built in the background (`run_export`), which records its progress on the ExportJob row.

Text cells that a spreadsheet would read as a formula (starting with = + - @, tab or CR) are
written with a leading apostrophe, so a company name can never run as a formula.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col

from webapp.core.clock import aware, local_time, utcnow
from webapp.core.db import session_scope
from webapp.outcomes.figures import EngagementFacts, engagement_ids, load_facts
from webapp.outcomes.labels import municipality_names, outcome_label
from webapp.outcomes.models import ExportFormat, ExportJob, ExportState, ImprovementTask, TaskArea, TaskState
from webapp.outcomes.xlsx import Column, Sheet, write_xlsx

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
STALE_AFTER = timedelta(minutes=30)  # a job "running" longer than this died with its worker
PROGRESS_SECONDS = (
    0.5  # between progress updates (each is a commit: per row count they cost more than the rows)
)


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def _neutralised(rows: Callable[[], Iterator[list[Any]]]) -> Callable[[], Iterator[list[Any]]]:
    """The same rows with every text that a spreadsheet would read as a formula made plain text."""

    def safe_rows() -> Iterator[list[Any]]:
        for row in rows():
            yield [safe_text(v) if isinstance(v, str) else v for v in row]

    return safe_rows


def _d(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else local_time(aware(moment)).date()


def _sheets(
    session: Session, facts: list[EngagementFacts], engagement_ids: sa.Select, municipalities: dict[int, str]
) -> list[Sheet]:
    by_id = {f.engagement.id: f for f in facts}

    def base(f: EngagementFacts) -> list[Any]:
        return [f.year, f.company.name, municipalities.get(f.company.municipality_id, "")]

    def engagements() -> Iterator[list[Any]]:
        for f in facts:
            ratings = [s.rating for s in f.surveys if s.kind == "completion" and s.rating]
            yield [
                *base(f), f.company.business_reg_no, f.company.industry_code, f.company.track,
                f.engagement.start_date, f.engagement.end_date, f.engagement.weeks,
                outcome_label("engagement_state", f.engagement.state), f.tasks_found, f.tasks_solved,
                ratings[0] if ratings else None, "예" if f.flagged else "",
            ]  # fmt: skip

    def kpis() -> Iterator[list[Any]]:
        for f in facts:
            for k in f.kpis:
                met = None if k.met is None else ("달성" if k.met else "미달성")
                yield [*base(f), k.name, k.unit, outcome_label("direction", k.indicator.direction),
                       _d(k.baseline), _d(k.target), _d(k.actual), _d(k.change_pct), met]  # fmt: skip

    task_count = sum(f.tasks_found for f in facts)

    areas = {a.value: outcome_label("area", a.value) for a in TaskArea}
    states = {s.value: outcome_label("task_state", s.value) for s in TaskState}

    def tasks() -> Iterator[list[Any]]:
        t = ImprovementTask
        statement = (  # plain columns: thousands of ORM rows would dominate the export's time
            sa.select(col(t.engagement_id), col(t.area), col(t.description), col(t.owner), col(t.due_on),
                      col(t.state), col(t.found_at), col(t.closed_at), col(t.close_note))
            .where(col(t.engagement_id).in_(engagement_ids))
            .order_by(col(t.engagement_id), col(t.id))
        )  # fmt: skip
        for row in session.connection().execute(statement):
            engagement_id, area, description, owner, due_on, state, found_at, closed_at, note = row
            if engagement_id not in by_id:  # appeared since the facts were read
                continue
            yield [*base(by_id[engagement_id]), areas[area], description, owner, due_on, states[state],
                   _day(found_at), _day(closed_at), note]  # fmt: skip

    def surveys() -> Iterator[list[Any]]:
        for f in facts:
            for s in sorted(f.surveys, key=lambda s: s.due_on):
                working = None if s.working_out is None else ("예" if s.working_out else "아니오")
                gains = outcome_label("gains", s.gains_kept) if s.gains_kept else None
                title = outcome_label("survey", s.kind)
                yield [*base(f), title, s.due_on, _day(s.sent_at), _day(s.answered_at),
                       s.rating, working, gains, s.comment, "예" if s.flagged else ""]  # fmt: skip

    def columns(*specs: tuple[Any, str, int]) -> list[Column]:
        who = [(_l("Year"), "int", 8), (_l("Company"), "text", 28), (_l("Municipality"), "text", 10)]
        return [Column(*spec) for spec in (*who, *specs)]

    return [
        Sheet(
            _l("Engagements"),
            columns(
                (_l("Business number"), "text", 14), (_l("Industry"), "text", 8), (_l("Track"), "text", 8),
                (_l("Start"), "date", 12), (_l("End"), "date", 12), (_l("Weeks"), "int", 6),
                (_l("Status"), "text", 12), (_l("Tasks found"), "int", 10), (_l("Tasks solved"), "int", 10),
                (_l("Satisfaction (1-5)"), "int", 10), (_l("Needs attention"), "text", 10),
            ),
            _neutralised(engagements),
            len(facts),
        ),
        Sheet(
            _l("KPIs"),
            columns(
                (_l("Indicator"), "text", 20), (_l("Unit"), "text", 8), (_l("Direction"), "text", 12),
                (_l("Baseline"), "dec", 12), (_l("Target"), "dec", 12), (_l("Actual"), "dec", 12),
                (_l("Change (%)"), "pct", 10), (_l("Target met"), "text", 10),
            ),
            _neutralised(kpis),
            sum(len(f.kpis) for f in facts),
        ),
        Sheet(
            _l("Improvement tasks"),
            columns(
                (_l("Area"), "text", 12), (_l("Description"), "text", 40), (_l("Owner"), "text", 12),
                (_l("Due date"), "date", 12), (_l("Status"), "text", 8), (_l("Found"), "date", 12),
                (_l("Solved"), "date", 12), (_l("What was done"), "text", 40),
            ),
            _neutralised(tasks),
            task_count,
        ),
        Sheet(
            _l("Surveys"),
            columns(
                (_l("Survey"), "text", 28), (_l("Due"), "date", 12), (_l("Sent"), "date", 12),
                (_l("Answered"), "date", 12), (_l("Rating (1-5)"), "int", 8),
                (_l("Team working out"), "text", 10), (_l("Gains kept"), "text", 10),
                (_l("Comments"), "text", 40), (_l("Needs attention"), "text", 10),
            ),
            _neutralised(surveys),
            sum(len(f.surveys) for f in facts),
        ),
    ]  # fmt: skip


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _write_csv_zip(sheets: Sequence[Sheet], target: Path, tick: Callable[[], None]) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, sheet in enumerate(sheets, start=1):
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow([str(c.header) for c in sheet.columns])
            for row in sheet.rows():
                writer.writerow([_csv_value(v) for v in row])
                tick()
            # UTF-8 with BOM: what Korean Excel opens correctly.
            archive.writestr(f"{number}-{sheet.name}.csv", "\ufeff" + text.getvalue())


def export_root(app: Flask) -> Path:
    return Path(app.config["EXPORT_ROOT"])


def file_name(job: ExportJob, municipality: str) -> str:
    scope = municipality or "전북특별자치도"
    extension = "xlsx" if job.format == ExportFormat.xlsx else "zip"
    return f"성과-{scope}-{job.id}.{extension}"


def start_export(
    session: Session, user_id: int, municipality_id: int | None, year: int | None, fmt: str
) -> ExportJob:
    job = ExportJob(municipality_id=municipality_id, year=year, format=fmt, requested_by_id=user_id)
    session.add(job)
    session.flush()
    return job


def run_export(app: Flask, job_id: int) -> None:
    """Build the export of job `job_id` (in a background thread), recording progress and the result."""
    engine = app.extensions["engine"]
    with session_scope(engine) as session:
        claimed = session.exec(
            sa.update(ExportJob)
            .where(col(ExportJob.id) == job_id, col(ExportJob.state) == ExportState.queued)
            .values(state=ExportState.running.value)
        ).rowcount
    if claimed != 1:
        return
    try:
        with app.app_context(), force_locale("ko"), Session(engine) as session:
            job = session.get(ExportJob, job_id)
            assert job is not None
            municipalities = municipality_names(session)
            facts = load_facts(session, municipality=job.municipality_id, year=job.year)
            ids = engagement_ids(municipality=job.municipality_id, year=job.year)
            sheets = _sheets(session, facts, ids, municipalities)
            total = sum(s.count for s in sheets) or 1
            done, reported = 0, time.monotonic()

            def tick() -> None:
                nonlocal done, reported
                done += 1
                if time.monotonic() - reported >= PROGRESS_SECONDS:
                    reported = time.monotonic()
                    with session_scope(engine) as progress:
                        progress.exec(
                            sa.update(ExportJob)
                            .where(col(ExportJob.id) == job_id)
                            .values(done_steps=done, total_steps=total)
                        )

            name = file_name(job, municipalities.get(job.municipality_id or 0, ""))
            root = export_root(app)
            root.mkdir(parents=True, exist_ok=True)
            partial = root / f".{job_id}.partial"
            writer = write_xlsx if job.format == ExportFormat.xlsx else _write_csv_zip
            writer(sheets, partial, tick)
            partial.replace(root / name)
        with session_scope(engine) as session:
            session.exec(
                sa.update(ExportJob).where(col(ExportJob.id) == job_id).values(
                    state=ExportState.done.value, file_name=name, done_steps=total, total_steps=total,
                    finished_at=utcnow(),
                )
            )  # fmt: skip
    except Exception as exc:  # the job records any failure; nothing half-written is offered
        with session_scope(engine) as session:
            session.exec(
                sa.update(ExportJob)
                .where(col(ExportJob.id) == job_id)
                .values(state=ExportState.failed.value, error=repr(exc)[:500], finished_at=utcnow())
            )
        raise


def fail_stale_jobs(session: Session) -> None:
    """A job left running by a worker that died is marked failed (it never finishes)."""
    session.exec(
        sa.update(ExportJob)
        .where(
            col(ExportJob.state).in_([ExportState.running, ExportState.queued]),
            col(ExportJob.created_at) < utcnow() - STALE_AFTER,
        )
        .values(state=ExportState.failed.value, error="interrupted", finished_at=utcnow())
    )
