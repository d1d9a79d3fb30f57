"""The photo pipeline, without Flask or a database: bytes in, a resized JPEG and its thumbnail out.

The type is decided by decoding (Pillow, with pillow-heif for the HEIC photos of iPhones), never by
the file name or the browser's content type. The output carries no EXIF, XMP or GPS data: Pillow
writes only what it is given, and only the colour profile is passed on.
"""

from __future__ import annotations

import enum
import warnings
from dataclasses import dataclass
from io import BytesIO

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 60_000_000  # a 48 MP phone photo passes; a decompression bomb does not
FULL_SIDE = 2048  # longest side of the stored photo
THUMB_SIDE = 400
JPEG_QUALITY = 85
ACCEPTED_FORMATS = ("JPEG", "PNG", "HEIF")  # JPEG includes MPO (phones' JPEGs with a depth map)


class MediaProblem(enum.StrEnum):
    empty = "empty"
    too_large = "too_large"
    not_image = "not_image"
    corrupt = "corrupt"
    too_many_pixels = "too_many_pixels"


class MediaError(ValueError):
    """An upload that is not a usable photo; `problem` says why (the pages word it)."""

    def __init__(self, problem: MediaProblem):
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class ProcessedImage:
    full: bytes
    thumb: bytes
    width: int
    height: int
    source_format: str


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(BytesIO(data), formats=ACCEPTED_FORMATS)
        except UnidentifiedImageError:
            raise MediaError(MediaProblem.not_image) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise MediaError(MediaProblem.too_many_pixels) from None
        except (OSError, SyntaxError, ValueError):  # a known type, cut off or damaged in its header
            raise MediaError(MediaProblem.corrupt) from None
        if image.width * image.height > MAX_PIXELS:
            raise MediaError(MediaProblem.too_many_pixels)
        try:
            image.load()
        except (OSError, SyntaxError, ValueError):
            raise MediaError(MediaProblem.corrupt) from None
    return image


def _rgb(image: Image.Image) -> Image.Image:
    """Upright (EXIF orientation applied) and RGB; transparency goes onto white."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _jpeg(image: Image.Image, icc_profile: bytes | None) -> bytes:
    out = BytesIO()
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, **extra)
    return out.getvalue()


def process_image(data: bytes) -> ProcessedImage:
    """Check and convert one upload; raises MediaError (nothing is written here)."""
    if not data:
        raise MediaError(MediaProblem.empty)
    if len(data) > MAX_UPLOAD_BYTES:
        raise MediaError(MediaProblem.too_large)
    source = _open(data)
    source_format = "HEIF" if source.format in ("HEIF", "HEIC") else str(source.format)
    icc = source.info.get("icc_profile")
    try:
        image = _rgb(source)
    except (OSError, ValueError):
        raise MediaError(MediaProblem.corrupt) from None
    image.thumbnail((FULL_SIDE, FULL_SIDE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return ProcessedImage(_jpeg(image, icc), _jpeg(thumb, icc), image.width, image.height, source_format)
