"""Who may see and do what on an engagement's outcome (the rule of engagements.access, plus roles).

See: the team's mentors, the company, coordinators. Edit the KPI sheet before it is locked: the
company, the team and coordinators. Log and close tasks, record actuals and completion: the team
(and coordinators). Approve changes and sign off: coordinators only.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from webapp.engagements.access import Viewer, can_see_engagement
from webapp.engagements.models import Engagement, EngagementMember


def team_ids(session: Session, engagement_id: int) -> list[int]:
    return list(
        session.exec(
            select(col(EngagementMember.mentor_id)).where(
                col(EngagementMember.engagement_id) == engagement_id
            )
        )
    )


def visible_engagement(session: Session, viewer: Viewer, engagement_id: int) -> Engagement | None:
    """The engagement when `viewer` may see it, else None (pages answer 404 either way)."""
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or not can_see_engagement(
        viewer, engagement.company_id, team_ids(session, engagement_id)
    ):
        return None
    return engagement


def is_team(viewer: Viewer, team: list[int]) -> bool:
    return viewer.role == "coordinator" or (viewer.role == "mentor" and viewer.mentor_id in team)
