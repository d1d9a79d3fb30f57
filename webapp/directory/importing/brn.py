"""Korean business registration numbers (사업자등록번호): 10 digits, the last a check digit."""

from __future__ import annotations

import re

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def check_digit(first_nine: str) -> int:
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, _WEIGHTS, strict=False)) + (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def normalize_brn(raw: str) -> str:
    """The 10 digits of a number written as 123-45-67890 or 1234567890.

    Raises ValueError with a message naming the problem.
    """
    digits = re.sub(r"[\s-]", "", raw)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValueError(f"{raw!r} is not 10 digits (format 123-45-67890)")
    if check_digit(digits[:9]) != int(digits[9]):
        raise ValueError(f"{raw!r} has a wrong check digit")
    return digits


def format_brn(digits: str) -> str:
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
