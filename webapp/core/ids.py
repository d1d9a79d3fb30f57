"""URL converter for database ids: whole numbers that fit a 32-bit INTEGER column.

A larger number in a URL is simply not found (404) instead of overflowing the database driver.
"""

from werkzeug.routing import BaseConverter

MAX_ID = 2**31 - 1


class IdConverter(BaseConverter):
    regex = r"[0-9]+"  # ASCII digits: \d would take any script's digits
    weight = 50

    def to_python(self, value: str) -> int:
        number = int(value)
        return number if number <= MAX_ID else 0  # id 0 never exists

    def to_url(self, value) -> str:
        return str(int(value))


def parse_id(text: str | None) -> int | None:
    """A query-string id, or None when it is not one."""
    if text and text.isascii() and text.isdecimal() and len(text) <= 10 and 1 <= int(text) <= MAX_ID:
        return int(text)
    return None
