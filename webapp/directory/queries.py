"""Reads shared by the pages and the API: who sees what, loads, lists with filters, visits.

Ownership lives here: `visible_companies` and `visible_mentors` are the only ways views and
API endpoints look up companies and mentors for a user, so a mentor or a company can never
reach another's record (they get None, which the caller turns into 404), and any other role
(an evaluator) none at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, or_, select

from webapp.accounts.models import Role, User
from webapp.accounts.security import Principal
from webapp.core.ids import parse_id
from webapp.directory.models import Company, Mentor, MentorIndustry
from webapp.matching.models import Assignment, AssignmentState, MatchingRun, RunStatus

PAGE_SIZE = 25


@dataclass
class Page:
    items: list[Any]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))


def paginate(session: Session, statement, number: int, size: int = PAGE_SIZE) -> Page:
    total = session.exec(select(func.count()).select_from(statement.order_by(None).subquery())).one()
    number = min(max(1, number), max(1, math.ceil(total / size)))
    items = list(session.exec(statement.offset((number - 1) * size).limit(size)))
    return Page(items, total, number, size)


def in_force():
    """Statement selecting the approved assignments (the ones in force)."""
    return select(Assignment).where(Assignment.state == AssignmentState.approved.value)


def mentor_loads(session: Session) -> dict[int, int]:
    rows = session.exec(
        select(Assignment.mentor_id, func.count())
        .where(Assignment.state == AssignmentState.approved.value)
        .group_by(col(Assignment.mentor_id))
    ).all()
    return dict(rows)


def current_assignment(session: Session, company_id: int) -> Assignment | None:
    return session.exec(in_force().where(Assignment.company_id == company_id)).first()


def mentor_assignments(session: Session, mentor_id: int) -> list[tuple[Assignment, Company]]:
    return list(
        session.exec(
            select(Assignment, Company)
            .join(Company, col(Company.id) == Assignment.company_id)
            .where(Assignment.state == AssignmentState.approved.value, Assignment.mentor_id == mentor_id)
            .order_by(col(Company.name))
        )
    )


# --- ownership ------------------------------------------------------------------------------


def login_of(session: Session, kind: str, record_id: int) -> User | None:
    """The login of a mentor ("mentors") or a company ("companies"), if it has one."""
    column = User.mentor_id if kind == "mentors" else User.company_id
    return session.exec(select(User).where(column == record_id)).first()


def _owned(statement, user: Principal, *, mentor_owns, company_owns):
    """`statement` as `user` may see it: all of it for a coordinator, the rows a mentor's or a
    company's condition selects for them, none for any other role (the directory is not theirs)."""
    if user.role == Role.coordinator:
        return statement
    if user.role == Role.mentor:
        return statement.where(mentor_owns)
    if user.role == Role.company:
        return statement.where(company_owns)
    return statement.where(sa.false())


def visible_companies(user: Principal):
    """Statement of the companies `user` may see: a mentor those it serves now."""
    return _owned(
        select(Company),
        user,
        mentor_owns=col(Company.id).in_(
            select(Assignment.company_id).where(
                Assignment.state == AssignmentState.approved.value, Assignment.mentor_id == user.mentor_id
            )
        ),
        company_owns=Company.id == user.company_id,
    )


def visible_mentors(user: Principal):
    """Statement of the mentors `user` may see: a company sees its current mentor."""
    return _owned(
        select(Mentor),
        user,
        mentor_owns=Mentor.id == user.mentor_id,
        company_owns=col(Mentor.id).in_(
            select(Assignment.mentor_id).where(
                Assignment.state == AssignmentState.approved.value, Assignment.company_id == user.company_id
            )
        ),
    )


def visible_assignments(user: Principal):
    return _owned(
        in_force(),
        user,
        mentor_owns=Assignment.mentor_id == user.mentor_id,
        company_owns=Assignment.company_id == user.company_id,
    )


def get_visible(session: Session, statement, model, record_id: int):
    return session.exec(statement.where(model.id == record_id)).first()


# --- lists with search and filters -----------------------------------------------------------


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def company_filters(statement, args: dict[str, str]):
    """Apply the list filters (q, status, municipality, industry, matched) given as strings."""
    if q := args.get("q", "").strip():
        like = contains_pattern(q)
        digits = q.replace("-", "")
        statement = statement.where(
            or_(
                col(Company.name).ilike(like, escape="\\"),
                col(Company.contact_name).ilike(like, escape="\\"),
                col(Company.address).ilike(like, escape="\\"),
                col(Company.business_reg_no).contains(digits)
                if digits.isascii() and digits.isdigit()
                else sa.false(),
            )
        )
    if status := args.get("status"):
        statement = statement.where(Company.status == status)
    if municipality := parse_id(args.get("municipality")):
        statement = statement.where(Company.municipality_id == municipality)
    if industry := args.get("industry"):
        statement = statement.where(Company.industry_code == industry)
    matched = select(Assignment.company_id).where(Assignment.state == AssignmentState.approved.value)
    if args.get("matched") == "yes":
        statement = statement.where(col(Company.id).in_(matched))
    elif args.get("matched") == "no":
        statement = statement.where(col(Company.id).not_in(matched))
    return statement.order_by(col(Company.name), col(Company.id))


def mentor_filters(statement, args: dict[str, str]):
    """Apply the mentor list filters (q, municipality, industry, active)."""
    if q := args.get("q", "").strip():
        like = contains_pattern(q)
        statement = statement.where(
            or_(
                col(Mentor.name).ilike(like, escape="\\"),
                col(Mentor.email).ilike(like, escape="\\"),
                col(Mentor.phone).ilike(like, escape="\\"),
            )
        )
    if municipality := parse_id(args.get("municipality")):
        statement = statement.where(Mentor.municipality_id == municipality)
    if industry := args.get("industry"):
        statement = statement.where(
            col(Mentor.id).in_(
                select(MentorIndustry.mentor_id).where(MentorIndustry.industry_code == industry)
            )
        )
    if args.get("active") in ("yes", "no"):
        statement = statement.where(Mentor.active == (args["active"] == "yes"))
    return statement.order_by(col(Mentor.name), col(Mentor.id))


# --- runs ------------------------------------------------------------------------


def recent_runs(session: Session, limit: int = 5) -> list[MatchingRun]:
    return list(session.exec(select(MatchingRun).order_by(col(MatchingRun.id).desc()).limit(limit)))


def last_solved_run(session: Session) -> MatchingRun | None:
    """The newest run that produced a result (proposed or approved), for its unmatched list."""
    return session.exec(
        select(MatchingRun)
        .where(col(MatchingRun.status).in_((RunStatus.proposed.value, RunStatus.approved.value)))
        .order_by(col(MatchingRun.id).desc())
    ).first()
