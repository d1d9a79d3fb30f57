"""The resident-planning columns of the company and mentor imports (and so of their record forms
and the API, which validate as one spreadsheet row): a company's program year, track, committee
score, required skills, engagement length and team size; a mentor's skills and how many
engagements it serves at once.

A file without these columns leaves the stored values as they are (KEEP), so importing an older
sheet never wipes a company's track or score.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import object_session
from sqlmodel import Session, col, select

from webapp.core.db import id_of
from webapp.directory.importing.columns import Column, parse_int
from webapp.directory.importing.problems import Problem
from webapp.directory.models import Company, Mentor
from webapp.programs.models import Cohort


class _Keep:
    """An empty cell of a planning column: the stored value stays."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()
SKILL = re.compile(r"[a-z][a-z0-9_-]{0,29}")


def parse_skills(text: str) -> list[str]:
    """'automation, quality' (commas, semicolons or spaces) -> ['automation', 'quality']."""
    skills = [s.lower() for s in re.split(r"[,;/\s]+", text.strip()) if s]
    for skill in skills:
        if not SKILL.fullmatch(skill):
            raise ValueError(f"{skill!r} is not a skill (a word such as automation, quality, logistics)")
    return list(dict.fromkeys(skills))


def parse_track(text: str) -> str:
    track = text.strip().upper()
    if len(track) > 20:
        raise ValueError(f"{text!r} is longer than 20 characters")
    return track


COMPANY_COLUMNS = [
    Column("cohort", ("program year", "사업연도", "연도"), parse_int(2000, 2100), default=KEEP),
    Column("track", ("트랙", "지원유형"), parse_track, default=KEEP),
    Column("score", ("committee score", "평가점수", "점수"), parse_int(1, 100), default=KEEP),
    Column("required_skills", ("skills", "필요역량", "역량"), parse_skills, default=KEEP),
    Column("engagement_weeks", ("weeks", "참여기간", "참여주수"), parse_int(1, 104), default=KEEP),
    Column("team_size", ("team", "팀인원", "멘토수"), parse_int(1, 5), default=KEEP),
]
MENTOR_COLUMNS = [
    Column("skills", ("역량", "전문분야"), parse_skills, default=KEEP),
    Column("max_concurrent", ("engagements at once", "동시참여수"), parse_int(0, 5), default=KEEP),
]


def cohort_errors(session: Session, number: int, values: dict[str, Any]) -> list[Problem]:
    """The program year must exist; its value becomes the cohort's id (the newest of that year)."""
    year = values.get("cohort")
    if year is KEEP or year is None:
        return []
    cohort = session.exec(
        select(Cohort).where(col(Cohort.year) == year).order_by(col(Cohort.id).desc())
    ).first()
    if cohort is None:
        return [Problem(_("there is no program year %(year)s", year=year), number, "cohort")]
    values["cohort"] = id_of(cohort)
    return []


def fill_company(company: Company, values: dict[str, Any]) -> None:
    for column, attribute in (
        ("cohort", "cohort_id"),
        ("track", "track"),
        ("score", "score"),
        ("required_skills", "required_skills"),
        ("engagement_weeks", "engagement_weeks"),
        ("team_size", "team_size"),
    ):
        if values.get(column, KEEP) is not KEEP:
            setattr(company, attribute, values[column])


def fill_mentor(mentor: Mentor, values: dict[str, Any]) -> None:
    for column in ("skills", "max_concurrent"):
        if values.get(column, KEEP) is not KEEP:
            setattr(mentor, column, values[column])


def company_fields(company: Company) -> dict[str, str]:
    """A company's planning values as form text."""
    session = object_session(company)
    cohort = session.get(Cohort, company.cohort_id) if session and company.cohort_id else None
    return {
        "cohort": str(cohort.year) if cohort else "",
        "track": company.track,
        "score": "" if company.score is None else str(company.score),
        "required_skills": ", ".join(company.required_skills or []),
        "engagement_weeks": "" if company.engagement_weeks is None else str(company.engagement_weeks),
        "team_size": "" if company.team_size is None else str(company.team_size),
    }


def mentor_fields(mentor: Mentor) -> dict[str, str]:
    return {"skills": ", ".join(mentor.skills or []), "max_concurrent": str(mentor.max_concurrent)}


# The record forms' fields for these columns (webapp.directory.views wraps them in FormField).
COMPANY_FORM_FIELDS = (
    {"name": "cohort", "label": _l("Program year"), "type": "number", "attrs": {"min": 2000, "max": 2100}},
    {"name": "track", "label": _l("Track"), "help": _l("JS1, JS2, JS3 or the year's own track.")},
    {"name": "score", "label": _l("Committee score"), "type": "number", "attrs": {"min": 1, "max": 100}},
    {
        "name": "required_skills",
        "label": _l("Skills the team must cover"),
        "help": _l("e.g. automation, quality"),
    },
    {
        "name": "engagement_weeks",
        "label": _l("Engagement length (weeks)"),
        "type": "number",
        "attrs": {"min": 1, "max": 104},
        "help": _l("Empty: the year's default."),
    },
    {
        "name": "team_size",
        "label": _l("Team size"),
        "type": "number",
        "attrs": {"min": 1, "max": 5},
        "help": _l("Empty: the year's default."),
    },
)
MENTOR_FORM_FIELDS = (
    {"name": "skills", "label": _l("Skills"), "help": _l("e.g. automation, quality, logistics")},
    {
        "name": "max_concurrent",
        "label": _l("Engagements at once"),
        "type": "number",
        "attrs": {"min": 0, "max": 5},
        "help": _l("1: resident at one company at a time; 0: not in resident teams."),
    },
)
