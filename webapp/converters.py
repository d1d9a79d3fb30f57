"""URL converter for database ids: whole numbers that fit a 32-bit INTEGER column.

A larger number in a URL is simply not found (404) instead of overflowing the database driver.
"""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


def parse_id(text: str | None) -> int | None:
    """A query-string id, or None when it is not one."""
    if text and text.isdecimal() and len(text) <= 10 and 1 <= int(text) <= MAX_ID:
        return int(text)
    return None
