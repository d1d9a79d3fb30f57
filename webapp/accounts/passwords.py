"""Password hashing (scrypt through Werkzeug) and the password policy."""

import secrets
import unicodedata

from werkzeug.security import check_password_hash, generate_password_hash

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128  # scrypt of a megabyte-long "password" would be a cheap way to load the server


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def _visible(password: str) -> str:
    """The characters one can see: not spaces, not control or format characters (zero-width
    spaces and joiners are format characters)."""
    return "".join(c for c in password if not c.isspace() and unicodedata.category(c)[0] not in "CZ")


def password_problem(password: str) -> str | None:
    """Why a password is unacceptable, or None. Eight spaces and a digit are not a password:
    only visible characters count, and they must mix letters with digits or symbols."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"password must be at most {MAX_PASSWORD_LENGTH} characters"
    visible = _visible(password)
    if len(visible) < MIN_PASSWORD_LENGTH:
        return f"password must be at least {MIN_PASSWORD_LENGTH} visible characters"
    if visible.isdigit() or visible.isalpha():
        return "password must mix letters with digits or symbols"
    return None


def temporary_password() -> str:
    """A random password (12 URL-safe characters) that meets the policy, for a new login or a
    reset done by the coordinator; the user replaces it under Account."""
    while True:
        password = secrets.token_urlsafe(9)
        if password_problem(password) is None:
            return password
