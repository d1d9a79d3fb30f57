"""Korean business registration numbers (사업자등록번호): 10 digits, the last a check digit."""

from __future__ import annotations

import re

from flask_babel import gettext as _

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
FIRST_TAX_OFFICE = 101


def check_digit(first_nine: str) -> int:
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, _WEIGHTS, strict=False)) + (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def normalize_brn(raw: str) -> str:
    """The 10 digits of a number written as 123-45-67890 or 1234567890.

    Raises ValueError with a message naming the problem. Besides the check digit, the parts
    that are never zero are checked: the tax office (first three digits, from 101), the kind
    of business (the middle two) and the serial number (000-00-00000 passes the check digit).
    """
    digits = re.sub(r"[ -]", "", raw)
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise ValueError(_("%(value)s is not 10 digits (123-45-67890).", value=repr(raw)))
    if int(digits[:3]) < FIRST_TAX_OFFICE or digits[3:5] == "00" or digits[5:9] == "0000":
        raise ValueError(_("%(value)s is not a business registration number.", value=repr(raw)))
    if check_digit(digits[:9]) != int(digits[9]):
        raise ValueError(_("%(value)s has a wrong check digit.", value=repr(raw)))
    return digits


def format_brn(digits: str) -> str:
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
