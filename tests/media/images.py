"""Test photos made on the fly: a phone-like JPEG with EXIF (camera, GPS, orientation), PNG, HEIC."""

from __future__ import annotations

from io import BytesIO

import pillow_heif
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def phone_jpeg(width: int = 3000, height: int = 2000, orientation: int = 1) -> bytes:
    """A JPEG as a phone writes it: EXIF with maker, GPS position (Jeonju) and an orientation."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 2, height))  # left half blue: orientation shows
    exif = Image.Exif()
    exif[0x010F] = "Samsung"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (35.0, 49.0, 30.0), 3: "E", 4: (127.0, 8.0, 51.0)})
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=80)
    return out.getvalue()


def png(width: int = 640, height: int = 480, alpha: bool = False) -> bytes:
    mode, colour = ("RGBA", (10, 120, 10, 0)) if alpha else ("RGB", (10, 120, 10))
    image = Image.new(mode, (width, height), colour)
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def heic(width: int = 800, height: int = 600) -> bytes:
    pillow_heif.register_heif_opener()
    image = Image.new("RGB", (width, height), (120, 120, 10))
    out = BytesIO()
    image.save(out, format="HEIF", quality=60)
    return out.getvalue()
