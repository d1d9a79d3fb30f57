"""Writing the audit log (in the caller's transaction)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from webapp.core.models import AuditLog


def audit(
    session: Session, user_id: int | None, action: str, entity: str, entity_id: Any = None, **details: Any
) -> None:
    session.add(
        AuditLog(
            user_id=user_id,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            details=details,
        )
    )
