"""Reading a photo from a form or API upload, and wording what is wrong with one."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from webapp.core.media.images import MAX_UPLOAD_BYTES, MediaProblem

# A photo form's request may carry a bit more than one photo at its limit, so that a photo just over
# the limit gets the field's message rather than the generic "too large" page.
PHOTO_REQUEST_LIMIT = 2 * MAX_UPLOAD_BYTES + 1024 * 1024

MESSAGES = {
    MediaProblem.empty: _l("Choose a photo."),
    MediaProblem.too_large: _l("The photo is larger than 15 MB."),
    MediaProblem.not_image: _l("This file is not a photo (JPEG, PNG or HEIC)."),
    MediaProblem.corrupt: _l("The photo is damaged and cannot be read."),
    MediaProblem.too_many_pixels: _l("The photo has too many pixels."),
}


def allow_photo_upload() -> None:
    """Call before reading request.files in a view that takes photos."""
    request.max_content_length = PHOTO_REQUEST_LIMIT


def uploaded(name: str) -> tuple[bytes, str] | None:
    """The bytes and file name of the form's file field `name`, or None when none was chosen."""
    storage: FileStorage | None = request.files.get(name)
    if storage is None or not storage.filename:
        return None
    return storage.read(MAX_UPLOAD_BYTES + 1), storage.filename
