"""A form's text field read by the rules every way in shares (webapp.core.inputs): trimmed, within
its length, free of control characters (a text of several lines may hold line breaks and tabs).
A problem is added to `errors` under the field's name; the pages and the API show it there."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from webapp.core.inputs import has_control_characters

LINE_BREAKS = str.maketrans("", "", "\n\r\t")


def text_field(
    form: Mapping[str, str],
    name: str,
    limit: int,
    errors: dict[str, Any],
    required: Any = None,
    *,
    lines: bool = False,
) -> str:
    """The field's text; `required`: the message when it is empty (None: it may be)."""
    text = (form.get(name) or "").strip()
    if not text:
        if required is not None:
            errors[name] = required
    elif len(text) > limit:
        errors[name] = _l("At most %(n)s characters.", n=limit)
    elif lines and has_control_characters(text.translate(LINE_BREAKS)):
        errors[name] = _l("Holds a control character.")
    elif not lines and has_control_characters(text):
        errors[name] = _l("Holds a line break or another control character.")
    return text
