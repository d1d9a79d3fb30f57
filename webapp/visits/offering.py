"""Offering visit slots right away after a change that calls for them (a run approved, offers
declined), instead of waiting for the scheduler's next poll, which does the same anyway."""

from __future__ import annotations

import logging

from flask import current_app

from webapp.visits.planning import VisitPolicy, offer_visits

log = logging.getLogger(__name__)


def offer_now() -> bool:
    """Propose slots for every assignment needing its next visit; False if that failed.

    The change that called for it is already committed, and the scheduler retries on its next
    poll, so a failure here is logged and reported, never turned into an error page.
    """
    try:
        offer_visits(current_app.extensions["engine"], VisitPolicy.from_config(current_app.config))
    except Exception:
        log.exception("offering visit slots failed; the scheduler will try again")
        return False
    return True
