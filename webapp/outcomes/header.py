"""What every outcome page (and the report) shows at its top: the engagement, company, team."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from webapp.directory.models import Company, Mentor, Municipality
from webapp.engagements.access import Viewer
from webapp.engagements.models import Engagement, EngagementMember
from webapp.outcomes.access import is_team
from webapp.outcomes.labels import LABELS
from webapp.outcomes.sheet import outcome_of
from webapp.programs.models import Cohort


def engagement_header(
    session: Session, viewer: Viewer, engagement: Engagement, team: list[int], tab: str
) -> dict[str, Any]:
    company = session.get(Company, engagement.company_id)
    mentors = session.exec(
        select(Mentor, EngagementMember.role)
        .join(EngagementMember, EngagementMember.mentor_id == Mentor.id)  # type: ignore[arg-type]
        .where(EngagementMember.engagement_id == engagement.id)
        .order_by(EngagementMember.role, Mentor.name)
    ).all()
    return {
        "engagement": engagement,
        "company": company,
        "municipality": session.get(Municipality, company.municipality_id) if company else None,
        "cohort": session.get(Cohort, engagement.cohort_id),
        "mentors": mentors,
        "outcome": outcome_of(session, engagement.id),  # type: ignore[arg-type]
        "tab": tab,
        "team_member": is_team(viewer, team),
        "coordinator": viewer.role == "coordinator",
        "labels": LABELS,
    }
