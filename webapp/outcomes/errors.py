"""Validation errors of the outcomes, by form field: each message is shown next to its field
and, with the field's name, above the form (and in the API's answer)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l


class FieldErrors(ValueError):
    """Bad input; `errors` maps a field name to its (translatable) message. Nothing was stored."""

    def __init__(self, errors: dict[str, Any]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors

    @classmethod
    def one(cls, field: str, message: Any) -> FieldErrors:
        return cls({field: message})


class NotAllowed(Exception):
    """The action does not fit the record's state (e.g. a locked target edited); the message says why."""

    def __init__(self, message: Any):
        super().__init__(str(message))
        self.message = message


# What the API says about a JSON body that no form could have sent (in the request's language).
NOTHING_SAVED = _l("Nothing was saved. Please correct:")
UNKNOWN_FIELD = _l("Unknown field.")
ENTER_TEXT = _l("Enter text.")
ENTER_NUMBER = _l("Enter a number.")
CHOOSE_YES_NO = _l("Choose yes or no.")
CHOOSE_ONE = _l("Choose one.")
