"""Reminders of confirmed visits: the day before (from REMINDER_DAY_BEFORE_HOUR, Asia/Seoul) and
on the morning of the visit (from REMINDER_MORNING_HOUR), to the mentor and the company.

The scheduler calls send_reminders on every poll. Each reminder is a notification with a unique
key (kind, visit, recipient) written in its own transaction, so it is sent exactly once, however
often the scheduler polls and even if two scheduler processes overlap (the second insert of a
key is refused by the database and rolled back alone).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from webapp.core.clock import SEOUL, seoul_midnight, utcnow
from webapp.core.notifications import company_recipient, mentor_recipient, notify
from webapp.visits.models import SlotState, VisitSlot
from webapp.visits.pages import company_page, mentor_week
from webapp.visits.workflow import visit_params

REMINDER_DAY_BEFORE_HOUR = 9
REMINDER_MORNING_HOUR = 7


def _due(now: datetime) -> list[tuple[str, datetime, datetime]]:
    """(kind, from, to): the visits starting in [from, to) that get reminder `kind` now."""
    local = now.astimezone(SEOUL)
    today = local.date()
    due = []
    if local.hour >= REMINDER_DAY_BEFORE_HOUR:
        tomorrow = today + timedelta(days=1)
        due.append(
            ("reminder_day_before", seoul_midnight(tomorrow), seoul_midnight(tomorrow + timedelta(days=1)))
        )
    if local.hour >= REMINDER_MORNING_HOUR:
        due.append(("reminder_morning", now, seoul_midnight(today + timedelta(days=1))))
    return due


def send_reminders(engine: sa.Engine, now: datetime | None = None) -> int:
    """Queue every reminder that is due and not sent yet; returns how many were queued."""
    now = now or utcnow()
    queued = 0
    for kind, first, last in _due(now):
        with Session(engine) as session:
            ids = session.exec(
                select(col(VisitSlot.id)).where(
                    col(VisitSlot.state) == SlotState.confirmed.value,
                    col(VisitSlot.starts_at) >= first,
                    col(VisitSlot.starts_at) < last,
                )
            ).all()
        for slot_id in ids:
            for side in ("mentor", "company"):
                queued += _remind(engine, kind, slot_id, side)
    return queued


def _remind(engine: sa.Engine, kind: str, slot_id: int | None, side: str) -> int:
    with Session(engine) as session:
        slot = session.get(VisitSlot, slot_id)
        if slot is None or slot.state != SlotState.confirmed.value:
            return 0
        if side == "mentor":
            recipient, link = mentor_recipient(session, slot.mentor_id), mentor_week(slot.starts_at)
        else:
            recipient, link = company_recipient(session, slot.company_id), company_page()
        key = f"{kind}:{slot.id}:{side}"
        if not notify(session, recipient, kind, visit_params(session, slot), link=link, key=key):
            return 0
        try:
            session.commit()
        except IntegrityError:  # another process wrote this reminder a moment earlier
            session.rollback()
            return 0
    return 1
