"""Reading a run for its review: the plain-words summary, every company's row (what changes,
why), per-mentor loads, the consequences of approving, and two runs side by side.

Everything is read with a handful of set-based queries (no query per row), then filtered,
sorted and paged in memory: a province run has a few thousand rows at most.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, func, select

from webapp.directory.models import IN_PROGRAM, Company, CompanyStatus, Industry, Mentor, Municipality
from webapp.matching.models import Assignment, AssignmentState, MatchingRun
from webapp.matching.service import parse_ref
from webapp.ui.i18n import local_name
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
    rows: list[ReviewRow]
    counts: dict[str, int]
    unmatched_why: dict[str, int]
    total_km: float
    mean_km: float
    mentors_used: int
    mentors_full: int
    mentors_active: int
    activated: int  # applicants who become active on approval


def _why(reason: str) -> str:
    return next((key for key, pattern in WHY_UNMATCHED if pattern.search(reason)), "other")


def load_review(session: Session, run: MatchingRun) -> Review:
    """Every company the run or the assignments in force concern, with what changes and why.

    Plain column reads, not ORM objects: a national program has thousands of rows."""
    pair = (
        col(Assignment.company_id),
        col(Assignment.mentor_id),
        col(Assignment.distance_km),
        col(Assignment.fit),
        col(Assignment.reasons),
    )
    proposed = {
        row.company_id: row
        for row in session.execute(sa.select(*pair).where(col(Assignment.run_id) == run.id))
    }
    in_force = {
        row.company_id: row
        for row in session.execute(
            sa.select(*pair).where(
                col(Assignment.state) == AssignmentState.approved.value, col(Assignment.run_id) != run.id
            )
        )
    }
    unassigned = {parse_ref(row["company"]): row.get("reason", "") for row in run.unassigned}
    ids = set(proposed) | set(in_force) | set(unassigned)
    companies = session.execute(
        sa.select(
            col(Company.id),
            col(Company.name),
            col(Company.business_reg_no),
            col(Company.municipality_id),
            col(Company.industry_code),
            col(Company.status),
            col(Company.contact_name),
            col(Company.contact_phone),
            col(Company.contact_email),
        ).where(col(Company.id).in_(ids))
    ).all()
    mentors: dict[int, Any] = {
        m.id: m
        for m in session.execute(
            sa.select(col(Mentor.id), col(Mentor.name), col(Mentor.capacity), col(Mentor.active))
        )
    }
    places = {m.id: local_name(m) for m in session.exec(select(Municipality))}
    rows = []
    for company in companies:
        company_id = company.id
        new, old = proposed.get(company_id), in_force.get(company_id)
        if new is not None:
            kind = "new" if old is None else "kept" if old.mentor_id == new.mentor_id else "changed"
            reasons = list(new.reasons)
        else:
            kind = "ended" if old is not None else "without"
            if company_id in unassigned:
                reasons = [unassigned[company_id]]
            elif company.status not in IN_PROGRAM:
                reasons = [
                    _("no longer in the program (%(status)s)", status=label("company_status", company.status))
                ]
            else:
                reasons = [_("not considered by this run")]
        old_mentor = mentors.get(old.mentor_id) if old else None
        new_mentor = mentors.get(new.mentor_id) if new else None
        rows.append(
            ReviewRow(
                company_id=company_id,
                company_name=company.name,
                business_reg_no=company.business_reg_no,
                municipality=places.get(company.municipality_id, ""),
                municipality_id=company.municipality_id,
                industry=company.industry_code,
                kind=kind,
                old_mentor_id=old.mentor_id if old else None,
                old_mentor=old_mentor.name if old_mentor else "",
                new_mentor_id=new.mentor_id if new else None,
                new_mentor=new_mentor.name if new_mentor else "",
                km=new.distance_km if new else None,
                fit=new.fit if new else None,
                reasons=reasons,
                contact_name=company.contact_name,
                contact_phone=company.contact_phone,
                contact_email=company.contact_email,
            )
        )
    loads = Counter(a.mentor_id for a in proposed.values())
    distances = [a.distance_km for a in proposed.values()]
    counts = Counter(row.kind for row in rows)
    return Review(
        rows=rows,
        counts={kind: counts.get(kind, 0) for kind in KINDS},
        unmatched_why=dict(Counter(_why(reason) for reason in unassigned.values()).most_common()),
        total_km=sum(distances),
        mean_km=sum(distances) / len(distances) if distances else 0.0,
        mentors_used=len(loads),
        mentors_full=sum(1 for m, n in loads.items() if n >= mentors[m].capacity),
        mentors_active=sum(1 for m in mentors.values() if m.active),
        activated=sum(1 for c in companies if c.id in proposed and c.status == CompanyStatus.applied.value),
    )


def filter_rows(
    rows: list[ReviewRow],
    *,
    kind: str = "",
    mentor: int | None = None,
    municipality: int | None = None,
    industry: str = "",
    q: str = "",
    sort: str = "change",
    descending: bool = False,
) -> list[ReviewRow]:
    """The rows a review page's query arguments select, in its order."""
    needle = q.strip().casefold().replace("-", "")
    chosen = [
        row
        for row in rows
        if (not kind or row.kind == kind)
        and (mentor is None or mentor in (row.old_mentor_id, row.new_mentor_id))
        and (municipality is None or row.municipality_id == municipality)
        and (not industry or row.industry == industry)
        and (
            not needle
            or needle in row.company_name.casefold()
            or needle in row.business_reg_no
            or needle in row.old_mentor.casefold()
            or needle in row.new_mentor.casefold()
        )
    ]
    keys = {
        "company": lambda r: (r.company_name,),
        "change": lambda r: (KINDS.index(r.kind), r.company_name),
        "mentor": lambda r: (r.new_mentor or r.old_mentor or "\uffff", r.company_name),
        "municipality": lambda r: (r.municipality, r.company_name),
        "km": lambda r: (r.km if r.km is not None else -1.0, r.company_name),
        "fit": lambda r: (r.fit if r.fit is not None else -1, r.company_name),
    }
    return sorted(chosen, key=keys.get(sort, keys["change"]), reverse=descending)


@dataclass
class MentorLoad:
    mentor: Mentor
    municipality: str
    now: int
    proposed: int
    gained: int
    lost: int
    km: float


def mentor_loads(session: Session, review: Review) -> list[MentorLoad]:
    """Per mentor: companies now and proposed, gained and lost, km of the proposal."""
    mentors = {m.id: m for m in session.exec(select(Mentor))}
    places = {m.id: local_name(m) for m in session.exec(select(Municipality))}
    loads: dict[int, MentorLoad] = {}

    def of(mentor_id: int) -> MentorLoad:
        if mentor_id not in loads:
            m = mentors[mentor_id]
            loads[mentor_id] = MentorLoad(m, places.get(m.municipality_id, ""), 0, 0, 0, 0, 0.0)
        return loads[mentor_id]

    for row in review.rows:
        if row.old_mentor_id is not None:
            of(row.old_mentor_id).now += 1
            if row.old_mentor_id != row.new_mentor_id:
                of(row.old_mentor_id).lost += 1
        if row.new_mentor_id is not None:
            load = of(row.new_mentor_id)
            load.proposed += 1
            load.km += row.km or 0.0
            if row.old_mentor_id != row.new_mentor_id:
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
    """What approving the run does, in numbers the confirmation states."""
    waiting = set(
        session.exec(
            select(col(VisitSlot.company_id))
            .where(col(VisitSlot.state).in_([SlotState.proposed.value, SlotState.confirmed.value]))
            .group_by(col(VisitSlot.company_id))
        )
    )
    emails = sum(
        1
        for row in review.rows
        if row.new_mentor_id is not None and (row.kind in ("new", "changed") or row.company_id not in waiting)
    )
    return Consequences(
        changed=review.counts["changed"],
        new=review.counts["new"],
        ended=review.counts["ended"],
        kept=review.counts["kept"],
        activated=review.activated,
        emails=emails,
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
