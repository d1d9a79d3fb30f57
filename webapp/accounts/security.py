"""Who is asking: the signed-in user (pages) or the bearer of an API token, and role checks.

Both end up as a `Principal`, so ownership rules are written once for pages and API alike.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from flask_login import UserMixin, current_user
from sqlmodel import Session, col, select

from webapp.accounts.models import Role, User
from webapp.core.ids import parse_id
from webapp.extensions import login_manager


@dataclass
class Principal(UserMixin):
    id: int
    email: str
    role: str
    display_name: str
    mentor_id: int | None
    company_id: int | None
    session_key: str

    @classmethod
    def of(cls, user: User) -> Principal:
        return cls(
            user.id,
            user.email,
            user.role,
            user.display_name,
            user.mentor_id,
            user.company_id,
            session_key(user),
        )

    def get_id(self) -> str:
        return self.session_key


def session_key(user: User) -> str:
    """Login cookie id: checked against the database on every request, it changes with the
    user's session epoch and password, so ending sessions (`end_sessions`) or a new password
    makes every older cookie worthless, copies included."""
    fingerprint = hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]
    return f"{user.id}:{user.session_epoch}:{fingerprint}"


def end_sessions(session: Session, user: User, *, revoke_token: bool = False) -> None:
    """Sign the user out everywhere (and, with `revoke_token`, revoke the API token too).

    The epoch is raised in the database (UPDATE ... SET epoch = epoch + 1), so two requests
    doing it at once both count; the caller commits.
    """
    values: dict = {"session_epoch": User.session_epoch + 1}
    if revoke_token:
        values["api_token_hash"] = None
    session.flush()
    session.execute(sa.update(User).where(col(User.id) == user.id).values(**values))
    session.refresh(user)


def load_by_session_key(session: Session, key: str) -> Principal | None:
    user_id = parse_id(key.partition(":")[0])
    user = session.get(User, user_id) if user_id else None
    if user is None or not user.active or session_key(user) != key:
        return None
    return Principal.of(user)


def hash_token(token: str) -> str:
    """The SHA-256 of a bearer secret: the only form in which API tokens, calendar-feed secrets
    and invitation links are stored, so a copy of the database opens nothing.

    A secret is found by its digest (an indexed equality). The comparison's timing can tell at
    most how many leading characters a guess's digest shares with a stored digest, which says
    nothing about the secret behind it (SHA-256 is preimage resistant and the secrets hold 256
    random bits): the timing leak that constant-time comparison prevents does not arise."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str = "") -> tuple[str, str]:
    """A fresh bearer secret (256 random bits, URL-safe) and its digest, the part to store."""
    token = prefix + secrets.token_urlsafe(32)
    return token, hash_token(token)


def new_api_token(session: Session, user: User) -> str:
    """A fresh token for `user` (replacing any old one); only its hash is stored."""
    token, user.api_token_hash = new_token("jbsf_")
    session.add(user)
    return token


def load_by_token(session: Session, token: str) -> Principal | None:
    user = session.exec(select(User).where(User.api_token_hash == hash_token(token))).first()
    if user is None or not user.active:
        return None
    return Principal.of(user)


def require_role(*roles: Role):
    """Blueprint before_request hook: the signed-in user must have one of `roles` (else 403)."""
    allowed = {r.value for r in roles}

    def check():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role not in allowed:
            abort(403)
        return None

    return check
