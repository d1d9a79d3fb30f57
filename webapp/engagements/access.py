"""Who may see an engagement: its team's mentors, its company, and every coordinator.

The one rule behind every engagement page, photo and API answer (pages and API alike pass a
`Principal`), in two forms: `can_see_engagement` for one engagement whose team the caller has
loaded (pure), and `visible_engagement_ids` for lists. Any other role (an evaluator) sees none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import sqlalchemy as sa
from sqlmodel import col, select

from webapp.engagements.models import Engagement, EngagementMember


class Viewer(Protocol):
    role: str
    mentor_id: int | None
    company_id: int | None


def can_see_engagement(viewer: Viewer, company_id: int, team_mentor_ids: Iterable[int]) -> bool:
    if viewer.role == "coordinator":
        return True
    if viewer.role == "company":
        return viewer.company_id is not None and viewer.company_id == company_id
    if viewer.role == "mentor":
        return viewer.mentor_id is not None and viewer.mentor_id in set(team_mentor_ids)
    return False


def visible_engagement_ids(viewer: Viewer) -> sa.Select | None:
    """A subquery of the engagement ids `viewer` may see; None for coordinators (all of them)."""
    if viewer.role == "coordinator":
        return None
    if viewer.role == "company":
        return select(col(Engagement.id)).where(col(Engagement.company_id) == (viewer.company_id or 0))
    if viewer.role == "mentor":
        return select(col(EngagementMember.engagement_id)).where(
            col(EngagementMember.mentor_id) == (viewer.mentor_id or 0)
        )
    return select(col(Engagement.id)).where(sa.false())
