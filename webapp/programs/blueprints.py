"""This package's blueprints, for the app factory."""

from __future__ import annotations

from flask import Blueprint

from webapp.programs import (
    coordinator_views,
    evaluator_views,
    mentor_views,
    photos,  # noqa: F401  (registers who may see the inspections' photos)
    public_views,
)


def blueprints() -> tuple[Blueprint, ...]:
    return (public_views.bp, coordinator_views.bp, mentor_views.bp, evaluator_views.bp)
