"""Placeholder before / after photos for the demo, drawn with Pillow: a cluttered shop floor before,
the same place in order after, tinted by the task's area. Small JPEGs (~10 KB), drawn once per run."""

from __future__ import annotations

import random
import zlib
from io import BytesIO

from PIL import Image, ImageDraw

from webapp.core.media.images import THUMB_SIDE
from webapp.outcomes.models import TaskArea

SIZE = (480, 360)
TINTS = {
    TaskArea.five_s: (214, 196, 150),
    TaskArea.layout: (170, 190, 214),
    TaskArea.logistics: (200, 180, 160),
    TaskArea.automation_jig: (180, 200, 190),
    TaskArea.quality: (210, 200, 220),
    TaskArea.safety: (230, 210, 150),
    TaskArea.data: (190, 205, 225),
}
VARIANTS = 2


def _draw(area: TaskArea, after: bool, seed: int) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new("RGB", SIZE, TINTS[area])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, SIZE[0], SIZE[1]), fill=(150, 150, 145))  # the floor
    if after:
        draw.line((0, 262, SIZE[0], 262), fill=(240, 200, 0), width=6)  # marked aisle
        for i in range(6):
            x = 30 + i * 72
            draw.rectangle((x, 150, x + 56, 250), fill=(70 + i * 10, 110, 160), outline=(30, 30, 30), width=2)
            draw.rectangle((x + 8, 136, x + 48, 150), fill=(250, 250, 250), outline=(30, 30, 30))  # label
        draw.ellipse((400, 20, 460, 80), fill=(27, 127, 59))  # a green check
        draw.line((414, 50, 428, 64, 448, 34), fill="white", width=7)
    else:
        for _ in range(14):
            x, y = rng.randint(0, SIZE[0] - 60), rng.randint(120, 300)
            w, h = rng.randint(25, 80), rng.randint(20, 70)
            shade = rng.randint(80, 160)
            draw.rectangle((x, y, x + w, y + h), fill=(shade, shade - 20, shade - 40), outline=(40, 40, 40))
        draw.polygon(((430, 20), (465, 80), (395, 80)), fill=(180, 35, 24))  # a warning sign
        draw.rectangle((426, 40, 434, 64), fill="white")
    return image


def _jpeg(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, format="JPEG", quality=70, optimize=True)
    return out.getvalue()


def photo_pool() -> dict[tuple[TaskArea, bool, int], tuple[bytes, bytes]]:
    """(area, after, variant) -> (photo, thumbnail) JPEG bytes."""
    pool = {}
    for area in TaskArea:
        for after in (False, True):
            for variant in range(VARIANTS):
                image = _draw(area, after, zlib.crc32(f"{area.value}{after}{variant}".encode()))
                thumb = image.copy()
                thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
                pool[(area, after, variant)] = (_jpeg(image), _jpeg(thumb))
    return pool
