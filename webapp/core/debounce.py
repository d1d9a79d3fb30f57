"""Turning a stream of records entering (new companies, new applicants) into one scheduled run
once things are quiet; shared by matching and engagement planning."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa


@dataclass
class Outcome:
    status: str  # ran | in_progress | already_done
    message: str
    run_id: int | None = None


@dataclass
class Debounce:
    """A run starts when the set of pending ids has not changed for `quiet`, or when the first
    of them has waited `max_wait`. A set whose run failed is not retried until it changes (or
    the weekly run picks it up). Subclasses say what is pending, its key, and how to run."""

    quiet: timedelta = timedelta(minutes=3)
    max_wait: timedelta = timedelta(minutes=15)
    _pending: frozenset = frozenset()
    _changed_at: datetime | None = None
    _first_seen: datetime | None = None
    _failed: set = field(default_factory=set)

    def pending(self, engine: sa.Engine) -> frozenset:
        raise NotImplementedError

    def key(self, pending: frozenset) -> str:
        raise NotImplementedError

    def fire(self, engine: sa.Engine, key: str) -> Outcome:
        raise NotImplementedError

    def check(self, engine: sa.Engine, now: datetime) -> Outcome | None:
        pending = self.pending(engine)
        if not pending:
            self._pending, self._changed_at, self._first_seen = frozenset(), None, None
            return None
        if pending != self._pending:
            self._pending, self._changed_at = pending, now
            self._first_seen = self._first_seen or now
        key = self.key(pending)
        assert self._changed_at is not None and self._first_seen is not None
        due = now - self._changed_at >= self.quiet or now - self._first_seen >= self.max_wait
        if not due or key in self._failed:
            return None
        outcome = self.fire(engine, key)
        if outcome.status == "ran" and "failed" in outcome.message:
            self._failed.add(key)
        if outcome.status != "in_progress":
            self._pending, self._changed_at, self._first_seen = frozenset(), None, None
        return outcome
