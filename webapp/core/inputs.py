"""The input rules every way in shares (spreadsheet import, forms, the JSON API, query strings).

Python's int() and float() accept full-width and Arabic-Indic digits and underscores (U+FF11,
U+0661, "1_0"), and any text may carry line breaks or control characters that break calendar
feeds and emails later. Numbers are therefore read from ASCII digits only, and text fields
refuse control characters; the import's columns, the record forms, the API and the query
arguments all call these.
"""

from __future__ import annotations

import re
import unicodedata

_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")
_DECIMAL = re.compile(r"[+-]?[0-9]{1,18}(\.[0-9]{1,18})?")


def whole_number(text: str) -> int:
    """A whole number written in ASCII digits; ValueError otherwise."""
    if not isinstance(text, str) or not _WHOLE.fullmatch(text.strip()):
        raise ValueError(f"{text!r} is not a whole number")
    return int(text)


def decimal_number(text: str) -> float:
    """A decimal number written in ASCII digits with an optional point; ValueError otherwise
    (no exponents, no nan or inf)."""
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text.strip()):
        raise ValueError(f"{text!r} is not a number")
    return float(text)


def has_control_characters(text: str) -> bool:
    """Line breaks, tabs and other control characters (Unicode category Cc), which no name,
    address or phone number holds."""
    return any(unicodedata.category(char) == "Cc" for char in text)
