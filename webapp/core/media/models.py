"""A stored photo: the files live on disk under MEDIA_ROOT (see storage.py), the row says who owns it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from webapp.core.clock import utcnow


class Photo(SQLModel, table=True):
    """One uploaded photo. `owner_kind` names the domain's owner (e.g. "improvement_task") and
    `owner_id` its row; that domain's callback decides who may see it."""

    id: int | None = Field(default=None, primary_key=True)
    owner_kind: str = Field(max_length=40)
    owner_id: int
    file_key: str = Field(max_length=40, unique=True)  # random; names the files on disk
    width: int
    height: int
    size_bytes: int
    source_format: str = Field(max_length=10)  # JPEG, PNG or HEIF as uploaded
    original_name: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")

    __table_args__ = (
        sa.Index("ix_photo_owner", "owner_kind", "owner_id"),
        sa.CheckConstraint("width > 0 AND height > 0 AND size_bytes > 0", name="sizes_positive"),
    )
