"""Who works on an engagement, for the pages of the people involved."""

from __future__ import annotations

from sqlmodel import Session, col, select

from webapp.core.db import get_existing, id_of
from webapp.directory.models import Mentor
from webapp.engagements.instance import teams
from webapp.engagements.models import Engagement, EngagementMember, EngagementState


def latest_engagement(session: Session, company_id: int) -> Engagement | None:
    """The company's latest engagement that is not cancelled (a company has one per cohort)."""
    return session.exec(
        select(Engagement)
        .where(
            col(Engagement.company_id) == company_id,
            col(Engagement.state) != EngagementState.cancelled.value,
        )
        .order_by(col(Engagement.start_date).desc())
    ).first()


def team_of(session: Session, engagement: Engagement) -> list[tuple[Mentor, str]]:
    """The team, lead first, with each member's role."""
    ids = teams(session, [id_of(engagement)]).get(id_of(engagement), [])
    roles = dict(
        session.exec(
            select(col(EngagementMember.mentor_id), col(EngagementMember.role)).where(
                col(EngagementMember.engagement_id) == id_of(engagement)
            )
        ).all()
    )
    return [(get_existing(session, Mentor, m), roles[m]) for m in ids]
