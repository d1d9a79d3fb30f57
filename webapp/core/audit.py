"""The audit log's one writer (in the caller's transaction) and the names of what it records."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlmodel import Session

from webapp.core.models import AuditLog


class Entity(StrEnum):
    """What an audit entry is about. Companies and mentors are named by their kind, as in the
    pages' and the API's URLs (/coordinator/companies/<id>, /api/v1/mentors/<id>)."""

    user = "user"
    company = "companies"
    mentor = "mentors"
    matching_run = "matching_run"
    scheduler_settings = "scheduler_settings"
    visit_slot = "visit_slot"


def audit(
    session: Session,
    user_id: int | None,
    action: str,
    entity: Entity,
    entity_id: Any = None,
    *,
    actor: str = "",
    **details: Any,
) -> None:
    """Record that `user_id` (or the non-user `actor`, e.g. the scheduler) did `action`."""
    session.add(
        AuditLog(
            user_id=user_id,
            actor=actor,
            action=action,
            entity=str(entity),
            entity_id=None if entity_id is None else str(entity_id),
            details=details,
        )
    )
