"""Time: timestamps are stored as timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timestamps are timezone-aware UTC (SQLModel's UTCDateTime rejects naive ones)."""
    return datetime.now(UTC)
