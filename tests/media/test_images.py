"""The photo pipeline: type by decoding, size limit, resizing, thumbnails, metadata removed."""

from io import BytesIO

import pytest
from PIL import Image

from tests.media.images import GPS_IFD, heic, phone_jpeg, png
from webapp.core.media.images import (
    FULL_SIDE,
    MAX_UPLOAD_BYTES,
    THUMB_SIDE,
    MediaError,
    MediaProblem,
    process_image,
)


def _open(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def test_phone_jpeg_is_resized_thumbnailed_and_stripped_of_exif_and_location():
    source = phone_jpeg(4000, 3000)
    assert _open(source).getexif().get_ifd(GPS_IFD)  # the test photo does carry a position
    result = process_image(source)
    full, thumb = _open(result.full), _open(result.thumb)
    assert full.format == thumb.format == "JPEG"
    assert (full.width, full.height) == (result.width, result.height) == (FULL_SIDE, 1536)
    assert max(thumb.size) == THUMB_SIDE
    for image, data in ((full, result.full), (thumb, result.thumb)):
        assert len(image.getexif()) == 0
        assert b"Exif" not in data[:4096] and b"Samsung" not in data
    assert result.source_format == "JPEG"


def test_orientation_is_applied_before_the_metadata_goes():
    result = process_image(phone_jpeg(300, 200, orientation=6))  # phone held upright: rotate 90°
    full = _open(result.full)
    assert full.size == (200, 300)
    assert full.getpixel((100, 10))[2] > 150  # the blue left half is now on top


def test_small_photo_is_not_enlarged():
    result = process_image(png(640, 480))
    assert (result.width, result.height) == (640, 480)


def test_png_with_transparency_becomes_jpeg_on_white():
    result = process_image(png(50, 40, alpha=True))
    image = _open(result.full)
    assert image.mode == "RGB" and image.getpixel((5, 5)) == (255, 255, 255)
    assert result.source_format == "PNG"


def test_heic_from_an_iphone_is_converted():
    result = process_image(heic(800, 600))
    assert result.source_format == "HEIF"
    assert _open(result.full).format == "JPEG" and (result.width, result.height) == (800, 600)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", MediaProblem.empty),
        (b"%PDF-1.7\n" + b"x" * 1000, MediaProblem.not_image),
        (b"GIF89a" + b"\0" * 100, MediaProblem.not_image),  # a real type, but not one we take
        ("사진.jpg 아님".encode(), MediaProblem.not_image),
        (phone_jpeg(400, 300)[:600], MediaProblem.corrupt),  # cut off mid-way
        (b"\0" * (MAX_UPLOAD_BYTES + 1), MediaProblem.too_large),
    ],
    ids=["empty", "pdf", "gif", "text", "truncated", "too-large"],
)
def test_bad_uploads_are_refused_with_the_reason(data, problem):
    with pytest.raises(MediaError) as caught:
        process_image(data)
    assert caught.value.problem is problem


def test_decompression_bomb_is_refused():
    bomb = BytesIO()
    Image.new("1", (12000, 12000)).save(bomb, format="PNG")  # tiny file, 144 million pixels
    assert len(bomb.getvalue()) < 1_000_000
    with pytest.raises(MediaError) as caught:
        process_image(bomb.getvalue())
    assert caught.value.problem is MediaProblem.too_many_pixels
