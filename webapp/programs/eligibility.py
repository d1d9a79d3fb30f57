"""Eligibility: the cohort's rules applied to every application, with the reasons recorded, and
the coordinator's override (with a note, audited). An overridden decision is never recomputed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from webapp.core.audit import Entity, audit
from webapp.core.clock import utcnow
from webapp.core.db import get_existing
from webapp.programs.application_models import Application, Eligibility
from webapp.programs.models import Cohort, CohortTrack
from webapp.programs.text import Refused

MAX_NOTE = 500
REASONS = {
    "track_unknown": _l("The track %(track)s is not offered in this cohort."),
    "revenue_over_limit": _l("Revenue is above the track's limit of KRW %(limit)s million."),
    "staff_over_limit": _l("Staff is above the track's limit of %(limit)s."),
    "not_first_time": _l("The track is for companies never supported by a smart-factory program before."),
    "other_project": _l("Another smart-factory project is running."),
    "tax_arrears": _l("National or local tax arrears."),
    "closed": _l("The business is closed or suspended."),
}


def reasons_for(cohort: Cohort, track: CohortTrack | None, application: Application) -> list[dict]:
    """Every rule the application breaks, as {"code", ...parameters}."""
    if track is None:
        return [{"code": "track_unknown", "track": application.track}]
    found = []
    if track.max_revenue_krw is not None and application.revenue_krw >= track.max_revenue_krw:
        found.append({"code": "revenue_over_limit", "limit": f"{track.max_revenue_krw // 1_000_000:,}"})
    if track.max_employees is not None and application.employees >= track.max_employees:
        found.append({"code": "staff_over_limit", "limit": str(track.max_employees)})
    if track.first_time_only and application.previous_support:
        found.append({"code": "not_first_time"})
    if cohort.rule_no_other_project and application.other_project:
        found.append({"code": "other_project"})
    if cohort.rule_no_tax_arrears and application.tax_arrears:
        found.append({"code": "tax_arrears"})
    if cohort.rule_not_closed and application.closed:
        found.append({"code": "closed"})
    return found


def reason_text(reason: dict) -> str:
    template = REASONS.get(reason.get("code", ""))
    if template is None:
        return str(reason)
    return str(template) % {k: v for k, v in reason.items() if k != "code"}


def assess(session: Session, cohort: Cohort, application: Application) -> None:
    """Apply the rules (unless a coordinator decided by hand); the caller commits."""
    if application.eligibility_overridden:
        return
    track = session.exec(
        select(CohortTrack).where(CohortTrack.cohort_id == cohort.id, CohortTrack.code == application.track)
    ).first()
    reasons = reasons_for(cohort, track, application)
    application.eligibility_reasons = reasons
    application.eligibility = (Eligibility.ineligible if reasons else Eligibility.eligible).value
    session.add(application)


def assess_all(session: Session, cohort: Cohort) -> int:
    """Re-apply the rules to the cohort's applications (after its rules change); returns how many."""
    applications = session.exec(select(Application).where(Application.cohort_id == cohort.id)).all()
    for application in applications:
        assess(session, cohort, application)
    return len(applications)


def override(
    session: Session, application: Application, eligible: bool, note: str, user_id: int
) -> Application:
    """The coordinator decides eligibility by hand with a note; audited. Commits; raises Refused.
    `clear_override` returns the application to the rules."""
    note = (note or "").strip()
    if not note:
        raise Refused({"note": _l("Required.")})
    if len(note) > MAX_NOTE:
        raise Refused({"note": _l("At most %(limit)s characters.", limit=MAX_NOTE)})
    before = application.eligibility
    application.eligibility = (Eligibility.eligible if eligible else Eligibility.ineligible).value
    application.eligibility_overridden = True
    application.override_note = note
    application.updated_at = utcnow()
    session.add(application)
    audit(
        session,
        user_id,
        "eligibility_overridden",
        Entity.application,
        application.id,
        before=before,
        after=application.eligibility,
        note=note,
    )
    session.commit()
    return application


def clear_override(session: Session, application: Application, user_id: int) -> Application:
    application.eligibility_overridden = False
    application.override_note = ""
    assess(session, get_existing(session, Cohort, application.cohort_id), application)
    audit(session, user_id, "eligibility_override_cleared", Entity.application, application.id)
    session.commit()
    return application
