"""Creating user accounts with validation (CLI, demo data and the coordinator's pages)."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from webapp.accounts.models import Role, User
from webapp.accounts.passwords import hash_password, password_problem
from webapp.directory.models import Company, Mentor

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A user account could not be created; the message says why, `code` says it for pages:
    email_invalid, email_taken, role, password, record_missing or record_has_login."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def normalize_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: str,
    mentor_id: int | None = None,
    company_id: int | None = None,
    display_name: str = "",
) -> User:
    email = normalize_email(email)
    if not EMAIL_RE.match(email):
        raise AccountError(f"email: {email!r} is not an email address", "email_invalid")
    if role not in {r.value for r in Role}:
        raise AccountError(f"role: must be one of {', '.join(r.value for r in Role)}", "role")
    if problem := password_problem(password):
        raise AccountError(f"password: {problem}", "password")
    if session.exec(select(User).where(User.email == email)).first():
        raise AccountError(f"email: a user with {email} already exists", "email_taken")
    if role == Role.mentor.value:
        if mentor_id is None or session.get(Mentor, mentor_id) is None:
            raise AccountError("mentor: a mentor user must be linked to an existing mentor", "record_missing")
        if session.exec(select(User).where(User.mentor_id == mentor_id)).first():
            raise AccountError(f"mentor: mentor {mentor_id} already has a login", "record_has_login")
    if role == Role.company.value:
        if company_id is None or session.get(Company, company_id) is None:
            raise AccountError(
                "company: a company user must be linked to an existing company", "record_missing"
            )
        if session.exec(select(User).where(User.company_id == company_id)).first():
            raise AccountError(f"company: company {company_id} already has a login", "record_has_login")
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        mentor_id=mentor_id if role == Role.mentor.value else None,
        company_id=company_id if role == Role.company.value else None,
        display_name=display_name,
    )
    session.add(user)
    session.flush()
    return user
