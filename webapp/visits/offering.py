"""Offering visit slots right away after a change that calls for them (a run approved, offers
declined, a day off), instead of waiting for the scheduler's next poll, which does the same
anyway."""

from __future__ import annotations

import logging
import threading

import sqlalchemy as sa
from flask import current_app

from webapp.core.clock import seoul_today
from webapp.engagements.visits import offer_engagement_visits
from webapp.visits.planning import VisitPolicy, offer_visits

log = logging.getLogger(__name__)

# One offering pass at a time per process: a second request arriving meanwhile has nothing to
# add (the running pass reads every assignment needing a visit when it starts, and the
# scheduler's next poll picks up whatever came later).
_running = threading.Lock()


def _offer(engine: sa.Engine, policy: VisitPolicy) -> bool:
    """Both kinds of offers: visits of assignments and the meetings of resident engagements."""
    try:
        offer_visits(engine, policy)
        offer_engagement_visits(engine, seoul_today())
    except Exception:
        log.exception("offering visit slots failed; the scheduler will try again")
        return False
    return True


def offer_now() -> bool:
    """Propose slots for every assignment needing its next visit; False if that failed.

    The change that called for it is already committed, and the scheduler retries on its next
    poll, so a failure here is logged and reported, never turned into an error page.
    """
    return _offer(current_app.extensions["engine"], VisitPolicy.from_config(current_app.config))


def offer_in_background() -> threading.Thread | None:
    """Offer visit times beside the request (after approving a run: thousands of companies may
    need offers, which takes longer than a request should). Tests (app.testing) wait for it,
    so what they read afterwards is settled. None when a pass is already running."""
    if not _running.acquire(blocking=False):
        return None
    engine = current_app.extensions["engine"]
    policy = VisitPolicy.from_config(current_app.config)

    def work() -> None:
        try:
            _offer(engine, policy)
        finally:
            _running.release()

    worker = threading.Thread(target=work, name="visit-offers", daemon=True)
    worker.start()
    if current_app.testing:
        worker.join()
    return worker
