"""Saving photos in the caller's transaction, and who may see them.

Files are written before the row; if the transaction then rolls back, the files written in it
are removed again (session events below), so a failed save leaves neither a row nor a file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from webapp.core.media.images import process_image
from webapp.core.media.models import Photo
from webapp.core.media.storage import MediaStore

_PENDING = "media_pending_files"


class Viewer(Protocol):
    role: str
    mentor_id: int | None
    company_id: int | None


# owner_kind -> can_view(session, viewer, owner_id); each owning domain registers its rule.
OwnerRule = Callable[[Session, Viewer, int], bool]
_OWNERS: dict[str, OwnerRule] = {}


def register_owner(kind: str, can_view: OwnerRule) -> None:
    _OWNERS[kind] = can_view


def can_view(session: Session, viewer: Viewer, photo: Photo) -> bool:
    rule = _OWNERS.get(photo.owner_kind)
    return rule is not None and rule(session, viewer, photo.owner_id)


def save_photo(
    session: Session,
    store: MediaStore,
    data: bytes,
    *,
    owner_kind: str,
    owner_id: int,
    user_id: int | None,
    original_name: str = "",
) -> Photo:
    """Check, convert and store one upload (raises MediaError before anything is written)."""
    processed = process_image(data)
    key = store.write(processed.full, processed.thumb)
    session.info.setdefault(_PENDING, []).append((store, key))
    photo = Photo(
        owner_kind=owner_kind,
        owner_id=owner_id,
        file_key=key,
        width=processed.width,
        height=processed.height,
        size_bytes=len(processed.full),
        source_format=processed.source_format,
        original_name=original_name[:200],
        created_by_id=user_id,
    )
    session.add(photo)
    session.flush()
    return photo


@sa.event.listens_for(OrmSession, "after_commit")
def _keep_files(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)


@sa.event.listens_for(OrmSession, "after_rollback")
def _remove_files(session: OrmSession) -> None:
    for store, key in session.info.pop(_PENDING, []):
        store.delete(key)
