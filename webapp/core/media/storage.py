"""Photo files on disk: MEDIA_ROOT/<2 hex>/<32 hex>.jpg and .thumb.jpg.

One folder for every web worker and the scheduler (a shared volume in production; instance/media
by default). Names are random, so nothing about a photo can be guessed from its address on disk;
files are written to a temporary name and renamed, so a reader never sees half a photo.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Literal

Size = Literal["full", "thumb"]


class MediaStore:
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    def path(self, key: str, size: Size = "full") -> Path:
        if len(key) != 32 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError(f"not a media key: {key!r}")
        suffix = ".jpg" if size == "full" else ".thumb.jpg"
        return self.root / key[:2] / f"{key}{suffix}"

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(temporary, 0o640)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def write(self, full: bytes, thumb: bytes) -> str:
        """Store a photo and its thumbnail under a new random key; returns the key."""
        key = secrets.token_hex(16)
        self._write(self.path(key, "thumb"), thumb)
        self._write(self.path(key, "full"), full)
        return key

    def delete(self, key: str) -> None:
        for size in ("full", "thumb"):
            self.path(key, size).unlink(missing_ok=True)
