"""Reading a run for its review: the plain-words summary, every company's row (what changes,
why), per-mentor loads, the consequences of approving, and two runs side by side.

A national program's run has thousands of rows, so the database does the work: the summary is
a few aggregates, and the table is one statement (the run's proposal and the assignments in
force joined to the companies, the change computed in SQL) filtered, sorted and paged where it
is stored; only the rows of the page shown become Python objects and get their reasons.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from webapp.core.db import id_of
from webapp.directory.models import IN_PROGRAM, Company, CompanyStatus, Industry, Mentor, Municipality
from webapp.directory.queries import Page, paginate
from webapp.matching.models import Assignment, AssignmentState, MatchingRun
from webapp.matching.service import parse_ref
from webapp.ui.i18n import current_language, local_name
from webapp.ui.labels import label
from webapp.visits.models import SlotState, VisitSlot

KINDS = ("changed", "new", "ended", "kept", "without")
SORTS = ("company", "change", "mentor", "municipality", "km", "fit")
# Why companies stay without a mentor, by the solver's wording (matcher/explain.py).
WHY_UNMATCHED = (
    ("industry", re.compile(r"^no mentor of industry")),
    ("distance", re.compile(r"^no qualified mentor within")),
    ("full", re.compile(r"are full$")),
    ("conflict", re.compile(r"conflict of interest")),
    ("municipalities", re.compile(r"municipalities")),
)


@dataclass
class ReviewRow:
    company_id: int
    company_name: str
    business_reg_no: str
    municipality: str
    municipality_id: int | None
    industry: str
    kind: str  # new | changed | kept | ended | without
    old_mentor_id: int | None = None
    old_mentor: str = ""
    new_mentor_id: int | None = None
    new_mentor: str = ""
    km: float | None = None
    fit: int | None = None
    # The solver's reasons as stored (shown through reason_text), or ours in the page's language.
    reasons: list[str] = field(default_factory=list)
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


@dataclass
class Review:
    counts: dict[str, int]
    unmatched_why: dict[str, int]
    total_km: float
    mean_km: float
    mentors_used: int
    mentors_full: int
    mentors_active: int
    activated: int  # applicants who become active on approval

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class ReviewFilter:
    """What a review page's query arguments select, in its order."""

    kind: str = ""
    mentor: int | None = None
    municipality: int | None = None
    industry: str = ""
    q: str = ""
    sort: str = "change"
    descending: bool = False


def _why(reason: str) -> str:
    return next((key for key, pattern in WHY_UNMATCHED if pattern.search(reason)), "other")


def _unassigned(run: MatchingRun) -> dict[int, str]:
    return {parse_ref(row["company"]): row.get("reason", "") for row in run.unassigned}


class _Table:
    """The review's rows as one statement: every company the run proposes a mentor for, that
    has a mentor in force, or that the run left without one."""

    def __init__(self, run: MatchingRun) -> None:
        self.run = run
        self.proposed = (
            sa.select(
                col(Assignment.company_id),
                col(Assignment.mentor_id),
                col(Assignment.distance_km),
                col(Assignment.fit),
                col(Assignment.reasons),
            )
            .where(col(Assignment.run_id) == run.id)
            .subquery("proposed")
        )
        self.in_force = (
            sa.select(col(Assignment.company_id), col(Assignment.mentor_id))
            .where(col(Assignment.state) == AssignmentState.approved.value, col(Assignment.run_id) != run.id)
            .subquery("in_force")
        )
        self.new_mentor = aliased(Mentor, name="new_mentor")
        self.old_mentor = aliased(Mentor, name="old_mentor")
        p, f = self.proposed.c, self.in_force.c
        self.kind = sa.case(
            (p.company_id.is_not(None) & f.company_id.is_(None), "new"),
            (p.company_id.is_not(None) & (f.mentor_id == p.mentor_id), "kept"),
            (p.company_id.is_not(None), "changed"),
            (f.company_id.is_not(None), "ended"),
            else_="without",
        )

    def select(self, *columns) -> sa.Select:
        p, f = self.proposed.c, self.in_force.c
        return (
            sa.select(*columns)
            .select_from(Company)
            .outerjoin(self.proposed, p.company_id == col(Company.id))
            .outerjoin(self.in_force, f.company_id == col(Company.id))
            .outerjoin(self.new_mentor, col(self.new_mentor.id) == p.mentor_id)
            .outerjoin(self.old_mentor, col(self.old_mentor.id) == f.mentor_id)
            .where(
                sa.or_(
                    p.company_id.is_not(None),
                    f.company_id.is_not(None),
                    col(Company.id).in_(list(_unassigned(self.run))),
                )
            )
        )

    def rows(self, chosen: ReviewFilter) -> sa.Select:
        p, f = self.proposed.c, self.in_force.c
        statement = self.select(
            col(Company.id),
            col(Company.name),
            col(Company.business_reg_no),
            col(Company.municipality_id),
            col(Company.industry_code),
            col(Company.status),
            col(Company.contact_name),
            col(Company.contact_phone),
            col(Company.contact_email),
            self.kind.label("kind"),
            f.mentor_id.label("old_mentor_id"),
            col(self.old_mentor.name).label("old_mentor"),
            p.mentor_id.label("new_mentor_id"),
            col(self.new_mentor.name).label("new_mentor"),
            p.distance_km,
            p.fit,
            p.reasons,
        )
        if chosen.kind in KINDS:
            statement = statement.where(self.kind == chosen.kind)
        if chosen.mentor is not None:
            statement = statement.where(sa.or_(p.mentor_id == chosen.mentor, f.mentor_id == chosen.mentor))
        if chosen.municipality is not None:
            statement = statement.where(col(Company.municipality_id) == chosen.municipality)
        if chosen.industry:
            statement = statement.where(col(Company.industry_code) == chosen.industry)
        if needle := chosen.q.strip():
            digits = needle.replace("-", "")
            statement = statement.where(
                sa.or_(
                    col(Company.name).icontains(needle, autoescape=True),
                    col(Company.business_reg_no).contains(digits) if digits.isdigit() else sa.false(),
                    col(self.old_mentor.name).icontains(needle, autoescape=True),
                    col(self.new_mentor.name).icontains(needle, autoescape=True),
                )
            )
        return statement.order_by(*self._order(chosen))

    def _order(self, chosen: ReviewFilter) -> list:
        p = self.proposed.c
        place = sa.select(
            col(Municipality.name_ko if current_language() == "ko" else Municipality.name_en)
        ).where(col(Municipality.id) == col(Company.municipality_id))
        orders: dict[str, list[Any]] = {
            "company": [],
            "change": [sa.case(*((self.kind == kind, i) for i, kind in enumerate(KINDS)))],
            "mentor": [func.coalesce(col(self.new_mentor.name), col(self.old_mentor.name), "\uffff")],
            "municipality": [place.scalar_subquery()],
            "km": [func.coalesce(p.distance_km, -1.0)],
            "fit": [func.coalesce(p.fit, -1)],
        }
        keys = [*orders.get(chosen.sort, []), col(Company.name), col(Company.id)]
        return [key.desc() for key in keys] if chosen.descending else keys


def _row(values, unassigned: dict[int, str], places: dict[int, str]) -> ReviewRow:
    if values.new_mentor_id is not None:
        reasons = list(values.reasons)
    elif values.id in unassigned:
        reasons = [unassigned[values.id]]
    elif values.status not in IN_PROGRAM:
        reasons = [_("no longer in the program (%(status)s)", status=label("company_status", values.status))]
    else:
        reasons = [_("not considered by this run")]
    return ReviewRow(
        company_id=values.id,
        company_name=values.name,
        business_reg_no=values.business_reg_no,
        municipality=places.get(values.municipality_id, ""),
        municipality_id=values.municipality_id,
        industry=values.industry_code,
        kind=values.kind,
        old_mentor_id=values.old_mentor_id,
        old_mentor=values.old_mentor or "",
        new_mentor_id=values.new_mentor_id,
        new_mentor=values.new_mentor or "",
        km=values.distance_km,
        fit=values.fit,
        reasons=reasons,
        contact_name=values.contact_name,
        contact_phone=values.contact_phone,
        contact_email=values.contact_email,
    )


def _places(session: Session) -> dict[int, str]:
    return {id_of(m): local_name(m) for m in session.exec(select(Municipality))}


def review_page(session: Session, run: MatchingRun, chosen: ReviewFilter, number: int, size: int) -> Page:
    """One page of the rows `chosen` selects (Page.items are ReviewRows)."""
    page = paginate(session, _Table(run).rows(chosen), number, size)
    unassigned, places = _unassigned(run), _places(session)
    page.items = [_row(values, unassigned, places) for values in page.items]
    return page


def review_rows(session: Session, run: MatchingRun, chosen: ReviewFilter) -> list[ReviewRow]:
    """Every row `chosen` selects (the export)."""
    unassigned, places = _unassigned(run), _places(session)
    return [_row(values, unassigned, places) for values in session.execute(_Table(run).rows(chosen))]


def load_review(session: Session, run: MatchingRun) -> Review:
    """The summary: how many companies each kind of change concerns, why companies stay without
    a mentor, distances, mentors taking part and at capacity, applicants activated."""
    table = _Table(run)
    applicant = sa.case(
        (table.proposed.c.company_id.is_not(None) & (col(Company.status) == CompanyStatus.applied.value), 1),
        else_=0,
    )
    by_kind: Sequence[Any] = session.execute(
        table.select(table.kind, func.count(), func.sum(applicant)).group_by(table.kind)
    ).all()
    counts = {kind: n for kind, n, _ in by_kind}
    totals: Any = session.execute(
        sa.select(
            func.coalesce(func.sum(col(Assignment.distance_km)), 0.0),
            func.count(),
            func.count(func.distinct(col(Assignment.mentor_id))),
        ).where(col(Assignment.run_id) == run.id)
    ).one()
    total_km, assigned, mentors_used = totals
    loads = (
        sa.select(col(Assignment.mentor_id), func.count().label("n"))
        .where(col(Assignment.run_id) == run.id)
        .group_by(col(Assignment.mentor_id))
        .subquery()
    )
    mentors_full = session.scalar(
        sa.select(func.count())
        .select_from(loads)
        .join(Mentor, col(Mentor.id) == loads.c.mentor_id)
        .where(loads.c.n >= col(Mentor.capacity))
    )
    return Review(
        counts={kind: counts.get(kind, 0) for kind in KINDS},
        unmatched_why=dict(Counter(_why(reason) for reason in _unassigned(run).values()).most_common()),
        total_km=float(total_km),
        mean_km=float(total_km) / assigned if assigned else 0.0,
        mentors_used=mentors_used,
        mentors_full=mentors_full or 0,
        mentors_active=session.scalar(sa.select(func.count()).select_from(Mentor).where(col(Mentor.active)))
        or 0,
        activated=sum(n for _, _, n in by_kind if n),
    )


@dataclass
class MentorLoad:
    mentor: Mentor
    municipality: str
    now: int
    proposed: int
    gained: int
    lost: int
    km: float


def mentor_loads(session: Session, run: MatchingRun) -> list[MentorLoad]:
    """Per mentor: companies now and proposed, gained and lost, km of the proposal."""
    table = _Table(run)
    p, f = table.proposed.c, table.in_force.c
    pairs: Sequence[Any] = session.execute(table.select(f.mentor_id, p.mentor_id, p.distance_km)).all()
    mentors = {m.id: m for m in session.exec(select(Mentor))}
    places = _places(session)
    loads: dict[int, MentorLoad] = {}

    def of(mentor_id: int) -> MentorLoad:
        if mentor_id not in loads:
            m = mentors[mentor_id]
            loads[mentor_id] = MentorLoad(m, places.get(m.municipality_id, ""), 0, 0, 0, 0, 0.0)
        return loads[mentor_id]

    for old, new, km in pairs:
        if old is not None:
            of(old).now += 1
            if old != new:
                of(old).lost += 1
        if new is not None:
            load = of(new)
            load.proposed += 1
            load.km += km or 0.0
            if old != new:
                load.gained += 1
    return sorted(loads.values(), key=lambda load: load.mentor.name)


@dataclass
class Consequences:
    changed: int
    new: int
    ended: int
    kept: int
    activated: int
    emails: int  # companies that will be emailed visit times (at most)


def consequences(session: Session, run: MatchingRun, review: Review) -> Consequences:
    """What approving the run does, in numbers the confirmation states: every company that gets
    a new mentor, or keeps one but has no visit offered or fixed, is emailed visit times."""
    table = _Table(run)
    p = table.proposed.c
    waiting = select(col(VisitSlot.company_id)).where(
        col(VisitSlot.state).in_([SlotState.proposed.value, SlotState.confirmed.value])
    )
    emails = session.scalar(
        table.select(func.count()).where(
            p.company_id.is_not(None),
            sa.or_(table.kind.in_(("new", "changed")), col(Company.id).not_in(waiting)),
        )
    )
    return Consequences(
        changed=review.counts["changed"],
        new=review.counts["new"],
        ended=review.counts["ended"],
        kept=review.counts["kept"],
        activated=review.activated,
        emails=emails or 0,
    )


def offer_progress(session: Session, run: MatchingRun) -> tuple[int, int]:
    """(companies of the run's approved assignments with a visit offered or fixed, all of them):
    how far the background offering has got after approval."""
    total = session.exec(
        select(func.count())
        .select_from(Assignment)
        .where(col(Assignment.run_id) == run.id, col(Assignment.state) == AssignmentState.approved.value)
    ).one()
    served = session.exec(
        select(func.count(func.distinct(col(Assignment.company_id))))
        .select_from(Assignment)
        .join(VisitSlot, col(VisitSlot.company_id) == col(Assignment.company_id))
        .where(
            col(Assignment.run_id) == run.id,
            col(Assignment.state) == AssignmentState.approved.value,
            col(VisitSlot.mentor_id) == col(Assignment.mentor_id),
            col(VisitSlot.state).in_(
                [SlotState.proposed.value, SlotState.confirmed.value, SlotState.done.value]
            ),
        )
    ).one()
    return served, total


@dataclass
class ComparedRow:
    company_name: str
    company_id: int
    left: str
    right: str


def compare_runs(session: Session, left: MatchingRun, right: MatchingRun) -> list[ComparedRow]:
    """Companies whose mentor differs between two runs' proposals ("" = without a mentor)."""
    pairs: dict[int, list[int | None]] = {}
    for side, run in enumerate((left, right)):
        for company_id, mentor_id in session.exec(
            select(col(Assignment.company_id), col(Assignment.mentor_id)).where(
                col(Assignment.run_id) == run.id
            )
        ):
            pairs.setdefault(company_id, [None, None])[side] = mentor_id
        for row in run.unassigned:
            pairs.setdefault(parse_ref(row["company"]), [None, None])
    differing = {c: p for c, p in pairs.items() if p[0] != p[1]}
    names = dict(
        session.exec(select(col(Company.id), col(Company.name)).where(col(Company.id).in_(differing))).all()
    )
    mentors = dict(session.exec(select(col(Mentor.id), col(Mentor.name))).all())
    return sorted(
        (
            ComparedRow(
                names.get(c, f"#{c}"),
                c,
                mentors.get(p[0], "") if p[0] else "",
                mentors.get(p[1], "") if p[1] else "",
            )
            for c, p in differing.items()
        ),
        key=lambda row: row.company_name,
    )


def industries(session: Session) -> list[Industry]:
    return list(session.exec(select(Industry).order_by(col(Industry.code))))
