"""Where an engagement stands: visit n of N and week n of the block, per company.

N is the engagement's number of visits (VISITS_PER_WEEK x ENGAGEMENT_WEEKS of the visit policy);
the block starts the week of its first visit. Cancelled visits do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from webapp.core.clock import local_time
from webapp.visits.models import SlotState, VisitSlot
from webapp.visits.planning import VisitPolicy

COUNTED = (SlotState.confirmed.value, SlotState.done.value)


@dataclass(frozen=True)
class Progress:
    done: int  # visits done
    booked: int  # done and confirmed
    total: int  # planned for the engagement
    first_week: date | None  # the Monday of the block's first week
    weeks: int

    def visit_number(self, slot: VisitSlot, numbers: dict[int, int]) -> int | None:
        return numbers.get(slot.id) if slot.id is not None else None

    def week_of(self, day: date) -> int | None:
        if self.first_week is None:
            return None
        return (day - self.first_week).days // 7 + 1


def engagement_progress(
    session: Session, mentor_id: int, company_id: int, policy: VisitPolicy
) -> tuple[Progress, dict[int, int]]:
    """The engagement's progress and the number (1..N) of each of its counted visits."""
    visits = session.exec(
        select(VisitSlot)
        .where(
            VisitSlot.mentor_id == mentor_id,
            VisitSlot.company_id == company_id,
            col(VisitSlot.state).in_(COUNTED),
        )
        .order_by(col(VisitSlot.starts_at))
    ).all()
    numbers = {v.id: n for n, v in enumerate(visits, start=1) if v.id is not None}
    first_day = local_time(visits[0].starts_at).date() if visits else None
    first_week = first_day - timedelta(days=first_day.weekday()) if first_day else None
    return (
        Progress(
            done=sum(v.state == SlotState.done.value for v in visits),
            booked=len(visits),
            total=policy.visits_per_week * policy.engagement_weeks,
            first_week=first_week,
            weeks=policy.engagement_weeks,
        ),
        numbers,
    )


def visit_history(session: Session, *, company_id: int, mentor_id: int | None = None) -> list[VisitSlot]:
    """Past and ended visits of a company (done with their reports, cancelled with why), newest first."""
    query = select(VisitSlot).where(
        VisitSlot.company_id == company_id,
        col(VisitSlot.state).in_((SlotState.done.value, SlotState.cancelled.value)),
    )
    if mentor_id is not None:
        query = query.where(VisitSlot.mentor_id == mentor_id)
    return list(session.exec(query.order_by(col(VisitSlot.starts_at).desc()).limit(50)))
