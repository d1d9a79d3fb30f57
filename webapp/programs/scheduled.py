"""The program's scheduled job: replan the inspections of every cohort where a company asked
for another time (the confirmed inspections stay where they are)."""

from __future__ import annotations

import logging

from flask import Flask

from webapp.programs.inspections import replan_declined

log = logging.getLogger(__name__)


def replan_inspections(app: Flask) -> None:
    runs = replan_declined(app)
    if runs:
        log.info("Inspections replanned after a company asked for another time: runs %s", runs)
