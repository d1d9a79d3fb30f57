"""The evaluation committee: evaluators, conflicts of interest, assignments, scores, the
ranking per track against its quota, and the coordinator's decisions.

An evaluator is never given an application of a company they declared a conflict with; a
conflict declared later withdraws the assignment (and its score). The committee's score is the
mean of the submitted weighted totals; it becomes the company's score for the planner.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from webapp.accounts.models import Role, User
from webapp.accounts.passwords import temporary_password
from webapp.accounts.service import create_user
from webapp.core.audit import Entity, audit
from webapp.core.clock import seoul_today, utcnow
from webapp.core.db import get_existing, id_of
from webapp.core.notifications import queue_email
from webapp.directory.importing.brn import format_brn, normalize_brn
from webapp.directory.models import Company, CompanySize
from webapp.programs.application_models import Application, Decision, Eligibility
from webapp.programs.evaluation_models import ConflictOfInterest, EvaluationAssignment
from webapp.programs.inspection_models import Inspection, InspectionState
from webapp.programs.models import Cohort, CohortTrack
from webapp.programs.rubrics import hold, rubric_of, weighted_total
from webapp.programs.text import Refused, int_field

MAX_REASON = 500
MAX_COMMENT = 1000
MAX_CONFLICT_REASON = 200
DEFAULT_PANEL = 3  # evaluators per application
MAX_PANEL = 7


class EvaluationError(Refused):
    """The committee's step refused (nothing stored)."""


def create_evaluator(session: Session, email: str, name: str, user_id: int) -> tuple[User, str]:
    """A committee member's login with a temporary password (shown once). The caller commits."""
    password = temporary_password()
    user = create_user(
        session, email=email, password=password, role=Role.evaluator.value, display_name=name.strip()[:80]
    )
    audit(session, user_id, "evaluator_created", Entity.user, user.id, email=user.email)
    return user, password


def evaluators(session: Session) -> list[User]:
    return list(
        session.exec(select(User).where(User.role == Role.evaluator.value).order_by(col(User.display_name)))
    )


def _is_evaluator(user: User | None) -> bool:
    return user is not None and user.role == Role.evaluator.value and user.active


def conflicted(session: Session, evaluator_id: int, business_reg_no: str) -> bool:
    return (
        session.exec(
            select(ConflictOfInterest).where(
                ConflictOfInterest.evaluator_id == evaluator_id,
                ConflictOfInterest.business_reg_no == business_reg_no,
            )
        ).first()
        is not None
    )


def declare_conflict(session: Session, evaluator_id: int, brn_text: str, reason: str, by_id: int) -> int:
    """Record a conflict; withdraws the evaluator's assignments of that company. Returns how many
    were withdrawn. Commits."""
    if not _is_evaluator(session.get(User, evaluator_id)):
        raise EvaluationError({"evaluator": _l("No such evaluator.")})
    try:
        brn = normalize_brn(brn_text)
    except ValueError as exc:
        raise EvaluationError({"business_reg_no": str(exc)}) from None
    reason = reason.strip()
    if len(reason) > MAX_CONFLICT_REASON:
        raise EvaluationError({"reason": _l("At most %(limit)s characters.", limit=MAX_CONFLICT_REASON)})
    if not conflicted(session, evaluator_id, brn):
        session.add(
            ConflictOfInterest(
                evaluator_id=evaluator_id, business_reg_no=brn, reason=reason, declared_by_id=by_id
            )
        )
    withdrawn = session.exec(
        select(EvaluationAssignment)
        .join(Application)
        .where(EvaluationAssignment.evaluator_id == evaluator_id, Application.business_reg_no == brn)
    ).all()
    touched = {a.application_id for a in withdrawn}
    for assignment in withdrawn:
        session.delete(assignment)
    session.flush()
    for application_id in touched:
        _update_score(session, get_existing(session, Application, application_id))
    audit(
        session,
        by_id,
        "conflict_declared",
        Entity.user,
        evaluator_id,
        business_reg_no=brn,
        withdrawn=len(withdrawn),
    )
    session.commit()
    return len(withdrawn)


def assign(session: Session, application: Application, evaluator_id: int, by_id: int) -> EvaluationAssignment:
    """Give an application to an evaluator; refused on a declared conflict. The caller commits."""
    if not _is_evaluator(session.get(User, evaluator_id)):
        raise EvaluationError({"evaluator": _l("No such evaluator.")})
    if conflicted(session, evaluator_id, application.business_reg_no):
        message = _l("This evaluator has declared a conflict of interest with this company.")
        raise EvaluationError({"evaluator": message}, conflict=True)
    existing = session.exec(
        select(EvaluationAssignment).where(
            EvaluationAssignment.application_id == application.id,
            EvaluationAssignment.evaluator_id == evaluator_id,
        )
    ).first()
    if existing is not None:
        return existing
    assignment = EvaluationAssignment(application_id=id_of(application), evaluator_id=evaluator_id)
    session.add(assignment)
    audit(session, by_id, "evaluation_assigned", Entity.application, application.id, evaluator=evaluator_id)
    return assignment


def to_evaluate(session: Session, cohort: Cohort) -> list[Application]:
    """The applications the committee scores: eligible ones."""
    return list(
        session.exec(
            select(Application)
            .where(Application.cohort_id == cohort.id, Application.eligibility == Eligibility.eligible.value)
            .order_by(col(Application.id))
        )
    )


def auto_assign(session: Session, cohort: Cohort, by_id: int, panel: int = DEFAULT_PANEL) -> int:
    """Fill every eligible application's panel up to `panel` evaluators, least-loaded first,
    never with a conflict. Returns the number of new assignments. Commits."""
    members = [u for u in evaluators(session) if u.active]
    if not members:
        raise EvaluationError({"evaluator": _l("Create the committee's evaluators first.")}, conflict=True)
    load = defaultdict(int)
    for evaluator_id, n in session.exec(
        select(EvaluationAssignment.evaluator_id, func.count()).group_by(
            col(EvaluationAssignment.evaluator_id)
        )
    ):
        load[evaluator_id] = n
    conflicts = defaultdict(set)
    for c in session.exec(select(ConflictOfInterest)):
        conflicts[c.business_reg_no].add(c.evaluator_id)
    panels: dict[int, set[int]] = defaultdict(set)
    for application_id, evaluator_id in session.exec(
        select(EvaluationAssignment.application_id, EvaluationAssignment.evaluator_id)
    ):
        panels[application_id].add(evaluator_id)
    added = 0
    for application in to_evaluate(session, cohort):
        have = panels[id_of(application)]
        candidates = sorted(
            (m for m in members if m.id not in have and m.id not in conflicts[application.business_reg_no]),
            key=lambda m: (load[id_of(m)], id_of(m)),
        )
        for member in candidates[: max(0, panel - len(have))]:
            session.add(EvaluationAssignment(application_id=id_of(application), evaluator_id=id_of(member)))
            load[id_of(member)] += 1
            added += 1
    audit(session, by_id, "evaluations_assigned", Entity.cohort, cohort.id, added=added, panel=panel)
    session.commit()
    return added


def assignment_for(session: Session, assignment_id: int, user: User) -> EvaluationAssignment | None:
    """The assignment if it is the user's own (an evaluator sees only their assignments)."""
    assignment = session.get(EvaluationAssignment, assignment_id)
    if assignment is None or assignment.evaluator_id != user.id:
        return None
    return assignment


def submit_scores(
    session: Session, assignment: EvaluationAssignment, form: dict[str, str], user_id: int
) -> EvaluationAssignment:
    """Scores 0-100 per criterion of the cohort's rubric and a comment. Commits.

    Raises EvaluationError naming every bad field, nothing stored.
    """
    application = get_existing(session, Application, assignment.application_id)
    hold(session, application.cohort_id)  # the rubric cannot change under these scores (rubrics)
    if application.decision != Decision.pending.value:
        session.rollback()
        message = _l("The coordinator has decided on this application; scores are closed.")
        raise EvaluationError({"scores": message}, conflict=True)
    rubric = rubric_of(get_existing(session, Cohort, application.cohort_id))
    scores: dict[str, int] = {}
    errors: dict[str, LazyString] = {}
    for criterion in rubric:
        value = int_field(form, criterion["key"], 0, 100, errors)
        if value is not None:
            scores[criterion["key"]] = value
    comment = (form.get("comment") or "").strip()
    if len(comment) > MAX_COMMENT:
        errors["comment"] = _l("At most %(limit)s characters.", limit=MAX_COMMENT)
    if errors:
        session.rollback()
        raise EvaluationError(errors)
    assignment.scores = scores
    assignment.comment = comment
    assignment.total = weighted_total(rubric, scores)
    assignment.submitted_at = utcnow()
    session.add(assignment)
    session.flush()
    _update_score(session, application)
    audit(
        session, user_id, "evaluation_submitted", Entity.application, application.id, total=assignment.total
    )
    session.commit()
    return assignment


def _update_score(session: Session, application: Application) -> None:
    totals = [
        t
        for t in session.exec(
            select(EvaluationAssignment.total).where(EvaluationAssignment.application_id == application.id)
        )
        if t is not None
    ]
    application.score = round(sum(totals) / len(totals), 2) if totals else None
    session.add(application)


@dataclass
class Ranked:
    application: Application
    rank: int
    scored: int  # evaluators who submitted
    assigned: int
    recommendation: str
    inside_quota: bool


@dataclass
class TrackRanking:
    track: CohortTrack
    rows: list[Ranked] = field(default_factory=list)
    selected: int = 0

    @property
    def cut_after(self) -> int | None:
        """Rank of the last application inside the quota (the cut line is drawn below it)."""
        if self.track.quota is None:
            return None
        return min(self.track.quota, len(self.rows))


def ranking(session: Session, cohort: Cohort) -> list[TrackRanking]:
    """Eligible applications per track, best mean score first (unscored last), with the cut line."""
    tracks = session.exec(
        select(CohortTrack).where(CohortTrack.cohort_id == cohort.id).order_by(col(CohortTrack.code))
    ).all()
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for application_id, total in session.exec(
        select(EvaluationAssignment.application_id, EvaluationAssignment.total)
        .join(Application)
        .where(Application.cohort_id == cohort.id)
    ):
        counts[application_id][1] += 1
        if total is not None:
            counts[application_id][0] += 1
    recommendations = dict(
        session.exec(
            select(Inspection.application_id, Inspection.recommendation).where(
                Inspection.cohort_id == cohort.id, Inspection.state == InspectionState.done.value
            )
        ).all()
    )
    result = []
    applications = to_evaluate(session, cohort)
    for track in tracks:
        mine = sorted(
            (a for a in applications if a.track == track.code),
            key=lambda a: (a.score is None, -(a.score or 0), a.id),
        )
        ranked = TrackRanking(track=track)
        for rank, application in enumerate(mine, start=1):
            scored, assigned = counts[id_of(application)]
            ranked.rows.append(
                Ranked(
                    application=application,
                    rank=rank,
                    scored=scored,
                    assigned=assigned,
                    recommendation=recommendations.get(id_of(application), ""),
                    inside_quota=track.quota is None or rank <= track.quota,
                )
            )
            ranked.selected += application.decision == Decision.selected.value
        result.append(ranked)
    return result


def decide(
    session: Session, application: Application, decision: str, reason: str, expected: str, user_id: int
) -> Application:
    """Selected / waitlisted / rejected with a reason; the company is told by email; a selected
    application becomes (or updates) the directory's company with its cohort, track and score.

    `expected` is the decision the coordinator saw: the update is conditional on it, so two
    coordinators deciding at once cannot overwrite each other unseen. Commits.
    """
    if decision not in (Decision.selected.value, Decision.waitlisted.value, Decision.rejected.value):
        raise EvaluationError({"decision": _l("Choose selected, waiting list or rejected.")})
    reason = (reason or "").strip()
    if not reason:
        raise EvaluationError({"reason": _l("Required.")})
    if len(reason) > MAX_REASON:
        raise EvaluationError({"reason": _l("At most %(limit)s characters.", limit=MAX_REASON)})
    if application.eligibility != Eligibility.eligible.value:
        message = _l("Only an eligible application can be decided.")
        raise EvaluationError({"decision": message}, conflict=True)
    if decision == Decision.selected.value and application.score is None:
        message = _l("No evaluator has scored this application yet.")
        raise EvaluationError({"decision": message}, conflict=True)
    now = utcnow()
    changed = (
        session.connection()
        .execute(
            update(Application)
            .where(col(Application.id) == application.id, col(Application.decision) == expected)
            .values(
                decision=decision,
                decision_reason=reason,
                decided_at=now,
                decided_by_id=user_id,
                updated_at=now,
            )
        )
        .rowcount
    )
    if changed != 1:
        session.rollback()
        message = _l("Someone else decided on this application a moment ago; look again.")
        raise EvaluationError({"decision": message}, conflict=True)
    session.refresh(application)
    cohort = get_existing(session, Cohort, application.cohort_id)
    if decision == Decision.selected.value:
        application.company_id = id_of(_company_of(session, cohort, application))
    elif application.company_id is not None:
        company = get_existing(session, Company, application.company_id)
        company.cohort_id, company.track, company.score = None, "", None
        session.add(company)
    session.add(application)
    audit(
        session,
        user_id,
        "application_decided",
        Entity.application,
        application.id,
        decision=decision,
        reason=reason,
    )
    _mail_decision(session, cohort, application)
    session.commit()
    return application


def _size(employees: int) -> str:
    if employees < 10:
        return CompanySize.micro.value
    return CompanySize.small.value if employees < 50 else CompanySize.medium.value


def _company_of(session: Session, cohort: Cohort, application: Application) -> Company:
    """The directory's company for a selected application (created or updated by business number)."""
    company = session.exec(
        select(Company).where(Company.business_reg_no == application.business_reg_no)
    ).first()
    if company is None:
        company = Company(
            business_reg_no=application.business_reg_no,
            joined_on=seoul_today(),
            name=application.company_name,
            industry_code=application.industry_code,
            municipality_id=application.municipality_id,
            lat=application.lat,
            lon=application.lon,
        )
    company.name = application.company_name
    company.industry_code = application.industry_code
    company.municipality_id = application.municipality_id
    company.address = application.address
    company.lat, company.lon = application.lat, application.lon
    company.employees = application.employees
    company.size = _size(application.employees)
    company.contact_name = application.contact_name
    company.contact_email = application.contact_email
    company.contact_phone = application.contact_phone
    company.cohort_id = cohort.id
    company.track = application.track
    company.score = max(1, min(100, round(application.score or 0)))
    company.updated_at = utcnow()
    session.add(company)
    session.flush()
    return company


def _mail_decision(session: Session, cohort: Cohort, application: Application) -> None:
    with force_locale("ko"):
        subjects = {
            "selected": _("Selected for %(cohort)s", cohort=cohort.name),
            "waitlisted": _("On the waiting list of %(cohort)s", cohort=cohort.name),
            "rejected": _("Not selected for %(cohort)s", cohort=cohort.name),
        }
        body = _(
            "%(company)s (business number %(brn)s), track %(track)s: %(decision)s.\n"
            "Committee score: %(score)s\nReason: %(reason)s",
            company=application.company_name,
            brn=format_brn(application.business_reg_no),
            track=application.track,
            decision=subjects[application.decision],
            score="-" if application.score is None else f"{application.score:.1f}",
            reason=application.decision_reason,
        )
    queue_email(session, application.contact_email, subjects[application.decision], body)
