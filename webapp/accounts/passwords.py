"""Password hashing (scrypt through Werkzeug) and the password policy."""

import secrets

from werkzeug.security import check_password_hash, generate_password_hash

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def password_problem(password: str) -> str | None:
    """Why a password is unacceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"password must be at least {MIN_PASSWORD_LENGTH} characters"
    if password.isdigit() or password.isalpha():
        return "password must mix letters with digits or symbols"
    return None


def temporary_password() -> str:
    """A random password (12 URL-safe characters) that meets the policy, for a new login or a
    reset done by the coordinator; the user replaces it under Account."""
    while True:
        password = secrets.token_urlsafe(9)
        if password_problem(password) is None:
            return password
