"""Invitations: a new login gets an email with a one-time link to choose its password.

The link holds a random token; only its SHA-256 is stored, with an expiry (72 hours) and a used
flag (the outbox keeps the token only until the email is sent: core.notifications.queue_email).
Using it is a conditional update (`used_at IS NULL AND expires_at > now`), so two submissions of
the same link cannot both set a password. Sending a new invitation ends the unused ones. Until
the password is chosen the login's password is a random one nobody knows, and it is marked to be
changed at first sign-in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.accounts.models import Invitation, User
from webapp.accounts.passwords import hash_password
from webapp.accounts.security import hash_token, new_token
from webapp.core.clock import aware, utcnow
from webapp.core.db import get_existing, id_of
from webapp.core.links import absolute
from webapp.core.notifications import Recipient, notify

INVITATION_VALID = timedelta(hours=72)


def invite(session: Session, user: User, now: datetime | None = None) -> str:
    """Queue an invitation email to `user` (ending earlier unused ones); returns the token.
    The caller commits."""
    now = now or utcnow()
    session.execute(
        sa.update(Invitation)
        .where(col(Invitation.user_id) == user.id, col(Invitation.used_at).is_(None))
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    token, digest = new_token()
    expires = now + INVITATION_VALID
    session.add(Invitation(user_id=id_of(user), token_hash=digest, created_at=now, expires_at=expires))
    notify(
        session,
        Recipient.of(user),
        "invitation",
        {"email": user.email, "expires": expires.isoformat()},
        link_url=absolute(f"/invitation/{token}"),
        secret=token,
    )
    return token


def pending_invitation(session: Session, token: str, now: datetime | None = None) -> Invitation | None:
    """The invitation of `token` if it can still be used."""
    now = now or utcnow()
    invitation = session.exec(select(Invitation).where(Invitation.token_hash == hash_token(token))).first()
    if invitation is None or invitation.used_at is not None or aware(invitation.expires_at) <= now:
        return None
    return invitation


def accept(session: Session, token: str, password: str, now: datetime | None = None) -> User | None:
    """Use the invitation once to set the password; None if it is used, expired or unknown.
    The caller has checked the password against the policy; commits."""
    now = now or utcnow()
    invitation = pending_invitation(session, token, now)
    if invitation is None:
        return None
    claimed = session.execute(
        sa.update(Invitation)
        .where(
            col(Invitation.id) == invitation.id,
            col(Invitation.used_at).is_(None),
            col(Invitation.expires_at) > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return None
    user = get_existing(session, User, invitation.user_id)
    user.password_hash, user.must_change_password = hash_password(password), False
    session.add(user)
    session.commit()
    return user


def invitation_state(session: Session, user_id: int) -> Invitation | None:
    """The latest invitation of a login (for the coordinator's page)."""
    return session.exec(
        select(Invitation).where(Invitation.user_id == user_id).order_by(col(Invitation.id).desc())
    ).first()
