"""Serving photos: /media/<id> and /media/<id>/thumb, to a signed-in user or an API token's
bearer whom the owning domain allows; anyone else gets 404, as for any record not theirs."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request, send_file
from flask_login import current_user

from webapp.accounts.security import Principal, load_by_token
from webapp.core.media.models import Photo
from webapp.core.media.service import can_view
from webapp.core.media.storage import MediaStore, Size
from webapp.core.request_db import db

bp = Blueprint("media", __name__, url_prefix="/media")


def media_store() -> MediaStore:
    return MediaStore(current_app.config["MEDIA_ROOT"])


def _viewer() -> Principal | None:
    if current_user.is_authenticated:
        return current_user
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return load_by_token(db(), token.strip())
    return None


def _send(photo_id: int, size: Size):
    viewer = _viewer()
    if viewer is None:
        abort(401)
    photo = db().get(Photo, photo_id)
    if photo is None or not can_view(db(), viewer, photo):
        abort(404)
    path = media_store().path(photo.file_key, size)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=3600, conditional=True)
    response.cache_control.private = True  # never in a shared cache: photos are not public
    response.cache_control.public = False
    return response


@bp.get("/<id:photo_id>")
def photo(photo_id: int):
    return _send(photo_id, "full")


@bp.get("/<id:photo_id>/thumb")
def thumbnail(photo_id: int):
    return _send(photo_id, "thumb")
