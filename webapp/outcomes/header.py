"""What every outcome page (and the report) shows at its top: the engagement, company, team."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from webapp.core.db import id_of
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
        select(Mentor, col(EngagementMember.role))
        .join(EngagementMember, col(EngagementMember.mentor_id) == col(Mentor.id))
        .where(col(EngagementMember.engagement_id) == engagement.id)
        .order_by(col(EngagementMember.role), col(Mentor.name))
    ).all()
    return {
        "engagement": engagement,
        "company": company,
        "municipality": session.get(Municipality, company.municipality_id) if company else None,
        "cohort": session.get(Cohort, engagement.cohort_id),
        "mentors": mentors,
        "outcome": outcome_of(session, id_of(engagement)),
        "tab": tab,
        "team_member": is_team(viewer, team),
        "coordinator": viewer.role == "coordinator",
        "labels": LABELS,
    }
