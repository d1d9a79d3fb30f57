"""Who may see an engagement: its team's mentors, its company, and every coordinator.

The one rule behind every engagement page, photo and API answer (pages and API alike pass a
`Principal`); kept pure so that callers load the team however suits them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


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
