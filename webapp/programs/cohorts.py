"""Cohort settings: create and edit a program year (mode, status, application period, planning
horizon and defaults, tracks with quotas and eligibility limits, municipality minimums, the
eligibility rules). Read by the engagement planner (webapp.engagements)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from webapp.core.audit import Entity, audit
from webapp.core.clock import SEOUL, local_time, seoul_today, utcnow
from webapp.core.db import id_of
from webapp.directory.models import Municipality
from webapp.programs.application_models import Application
from webapp.programs.eligibility import assess_all
from webapp.programs.models import Cohort, CohortStatus, CohortTrack, ProgramMode
from webapp.programs.text import REQUIRED, Errors, Refused, int_field

MAX_TRACKS = 6
TRACK_FIELDS = ("code", "name", "quota", "max_revenue", "max_employees", "first_time_only")


class CohortInvalid(Refused):
    """The cohort's settings refused (nothing stored)."""


def cohorts(session: Session) -> list[Cohort]:
    return list(session.exec(select(Cohort).order_by(col(Cohort.year).desc(), col(Cohort.id).desc())))


def as_form(session: Session, cohort: Cohort | None) -> dict[str, Any]:
    """Form text of a cohort (or of a new one, with the program's defaults)."""
    if cohort is None:
        year = seoul_today().year + 1
        form = {
            "name": f"{year}년 전북-삼성 스마트공장 구축 지원사업",
            "year": str(year),
            "mode": ProgramMode.resident.value,
            "status": CohortStatus.draft.value,
            "open_at": f"{year}-01-15T09:00",
            "close_at": f"{year}-02-12T18:00",
            "first_monday": _first_monday_of_july(year).isoformat(),
            "weeks": "44",
            "max_commute_km": "80",
            "default_engagement_weeks": "8",
            "default_team_size": "2",
            "rule_no_other_project": "1",
            "rule_no_tax_arrears": "1",
            "rule_not_closed": "1",
        }
        tracks = [
            {
                "code": "JS1",
                "name": "기초 (최초 지원)",
                "quota": "40",
                "max_revenue": "5000",
                "max_employees": "20",
                "first_time_only": "1",
            },
            {"code": "JS2", "name": "고도화 1", "quota": "20"},
            {"code": "JS3", "name": "고도화 2", "quota": "10"},
        ]
    else:
        form = {
            "name": cohort.name,
            "year": str(cohort.year),
            "mode": cohort.mode,
            "status": cohort.status,
            "open_at": _local_input(cohort.applications_open_at),
            "close_at": _local_input(cohort.applications_close_at),
            "first_monday": cohort.first_monday.isoformat(),
            "weeks": str(cohort.weeks),
            "max_commute_km": str(cohort.max_commute_km),
            "default_engagement_weeks": str(cohort.default_engagement_weeks),
            "default_team_size": str(cohort.default_team_size),
            "rule_no_other_project": "1" if cohort.rule_no_other_project else "",
            "rule_no_tax_arrears": "1" if cohort.rule_no_tax_arrears else "",
            "rule_not_closed": "1" if cohort.rule_not_closed else "",
        }
        for name, minimum in (cohort.min_per_municipality or {}).items():
            form[f"min_{name}"] = str(minimum)
        tracks = [
            {
                "code": t.code,
                "name": t.name,
                "quota": "" if t.quota is None else str(t.quota),
                "max_revenue": "" if t.max_revenue_krw is None else str(t.max_revenue_krw // 1_000_000),
                "max_employees": "" if t.max_employees is None else str(t.max_employees),
                "first_time_only": "1" if t.first_time_only else "",
            }
            for t in session.exec(
                select(CohortTrack).where(CohortTrack.cohort_id == cohort.id).order_by(col(CohortTrack.code))
            )
        ]
    for i, track in enumerate(tracks):
        for key, value in track.items():
            form[f"track{i}_{key}"] = value
    return form


def _first_monday_of_july(year: int) -> date:
    day = date(year, 7, 1)
    return date.fromordinal(day.toordinal() + (7 - day.weekday()) % 7)


def _local_input(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return local_time(moment).strftime("%Y-%m-%dT%H:%M")


def _instant(form, name: str, errors: Errors) -> datetime | None:
    text = (form.get(name) or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=SEOUL)
    except ValueError:
        errors[name] = _l("Enter a date and time.")
        return None


def _one_of(value: str, vocabulary) -> LazyString:
    allowed = ", ".join(v.value for v in vocabulary)
    return _l("%(value)s is not one of %(allowed)s.", value=repr(value), allowed=allowed)


def parse(
    session: Session, form, cohort: Cohort | None
) -> tuple[dict[str, Any], list[dict[str, Any]], Errors]:
    errors: Errors = {}
    values: dict[str, Any] = {}
    name = (form.get("name") or "").strip()
    if not name:
        errors["name"] = REQUIRED
    elif len(name) > 120:
        errors["name"] = _l("At most %(limit)s characters.", limit=120)
    else:
        twin = session.exec(select(Cohort).where(Cohort.name == name)).first()
        if twin is not None and (cohort is None or twin.id != cohort.id):
            errors["name"] = _l("Already registered.")
    values["name"] = name
    values["year"] = int_field(form, "year", 2020, 2100, errors)
    mode, status = form.get("mode", ""), form.get("status", "")
    if mode not in {m.value for m in ProgramMode}:
        errors["mode"] = _one_of(mode, ProgramMode)
    if status not in {s.value for s in CohortStatus}:
        errors["status"] = _one_of(status, CohortStatus)
    values["mode"], values["status"] = mode, status
    values["applications_open_at"] = _instant(form, "open_at", errors)
    values["applications_close_at"] = _instant(form, "close_at", errors)
    if values["applications_open_at"] and values["applications_close_at"]:
        if values["applications_close_at"] <= values["applications_open_at"]:
            errors["close_at"] = _l("Must be after the opening.")
    elif status == CohortStatus.applications_open.value:
        errors.setdefault("close_at", _l("An open cohort needs its application period."))
    try:
        first_monday = date.fromisoformat((form.get("first_monday") or "").strip())
        if first_monday.weekday() != 0:
            errors["first_monday"] = _l("Must be a Monday.")
        values["first_monday"] = first_monday
    except ValueError:
        errors["first_monday"] = _l("Enter a date (YYYY-MM-DD).")
    values["weeks"] = int_field(form, "weeks", 1, 104, errors)
    values["max_commute_km"] = int_field(form, "max_commute_km", 1, 1000, errors)
    values["default_engagement_weeks"] = int_field(form, "default_engagement_weeks", 1, 104, errors)
    values["default_team_size"] = int_field(form, "default_team_size", 1, 5, errors)
    if (
        values["weeks"]
        and values["default_engagement_weeks"]
        and values["default_engagement_weeks"] > values["weeks"]
    ):
        errors["default_engagement_weeks"] = _l("Must not exceed the weeks of the horizon.")
    for rule in ("rule_no_other_project", "rule_no_tax_arrears", "rule_not_closed"):
        values[rule] = bool(form.get(rule))
    minimums = {}
    for municipality in session.exec(select(Municipality).order_by(col(Municipality.name_en))):
        key = f"min_{municipality.name_en}"
        value = int_field(form, key, 0, 100, errors, optional=True)
        if value:
            minimums[municipality.name_en] = value
    values["min_per_municipality"] = minimums
    tracks, codes = [], set()
    for i in range(MAX_TRACKS):
        row = {key: (form.get(f"track{i}_{key}") or "").strip() for key in TRACK_FIELDS}
        if not any(v for k, v in row.items() if k != "first_time_only"):
            continue
        code = row["code"].upper()
        if not code:
            errors[f"track{i}_code"] = REQUIRED
        elif len(code) > 20:
            errors[f"track{i}_code"] = _l("At most %(limit)s characters.", limit=20)
        elif code in codes:
            errors[f"track{i}_code"] = _l("%(value)s appears twice.", value=code)
        codes.add(code)
        revenue = int_field(form, f"track{i}_max_revenue", 0, 100_000_000, errors, optional=True)
        tracks.append(
            {
                "code": code,
                "name": row["name"][:120],
                "quota": int_field(form, f"track{i}_quota", 0, 10_000, errors, optional=True),
                "max_revenue_krw": None if revenue is None else revenue * 1_000_000,
                "max_employees": int_field(
                    form, f"track{i}_max_employees", 1, 100_000, errors, optional=True
                ),
                "first_time_only": bool(row["first_time_only"]),
            }
        )
    if not tracks:
        errors["track0_code"] = _l("A cohort needs at least one track.")
    return values, tracks, errors


def save(session: Session, form, cohort: Cohort | None, user_id: int) -> Cohort:
    """Create or update a cohort and its tracks; the eligibility of its applications is
    re-assessed under the new rules. Commits. Raises CohortInvalid(field -> message)."""
    values, tracks, errors = parse(session, form, cohort)
    if cohort is not None:
        used = set(session.exec(select(Application.track).where(Application.cohort_id == cohort.id)))
        missing = used - {t["code"] for t in tracks}
        if missing:
            errors["track0_code"] = _l(
                "Applications use track %(value)s; keep it.", value=", ".join(sorted(missing))
            )
    if errors:
        raise CohortInvalid(errors)
    creating = cohort is None
    cohort = cohort or Cohort(**{k: values[k] for k in ("name", "year", "first_monday")})
    for key, value in values.items():
        setattr(cohort, key, value)
    cohort.updated_at = utcnow()
    session.add(cohort)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise CohortInvalid({"name": _l("Already registered.")}) from None
    existing = {
        t.code: t for t in session.exec(select(CohortTrack).where(CohortTrack.cohort_id == cohort.id))
    }
    for track in tracks:
        row = existing.pop(track["code"], None) or CohortTrack(cohort_id=id_of(cohort), code=track["code"])
        for key, value in track.items():
            setattr(row, key, value)
        session.add(row)
    for row in existing.values():
        session.delete(row)
    session.flush()
    assess_all(session, cohort)
    audit(
        session,
        user_id,
        "cohort_created" if creating else "cohort_updated",
        Entity.cohort,
        cohort.id,
        name=cohort.name,
    )
    session.commit()
    return cohort
