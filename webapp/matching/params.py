"""The solver parameters a run is made with: their limits, defaults, labels and validation.

One home for what the coordinator's pages (Run matching now, Schedule), the API (and its
OpenAPI document) and the scheduled runs accept. The solver's own limits and defaults are
imported from matcher, not restated.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from matcher import reference
from matcher.domain import Params
from matcher.validation import MAX_DISTANCE_LIMIT_KM
from webapp.core.inputs import whole_number_params

MAX_MUNICIPALITIES = len(reference.municipalities())  # the cities and counties of North Jeolla
MAX_CAPACITY = 50  # a mentor's capacity at most (the mentor table's check)
MAX_STABILITY = 100_000
MAX_TIME_LIMIT_S = 600  # a run solves beside a request, never longer than this

DEFAULT_MAX_DISTANCE_KM = int(Params().max_distance_km)
DEFAULT_TIME_LIMIT_S = 30

PARAM_LIMITS: dict[str, tuple[int, int]] = {
    "max_distance_km": (1, MAX_DISTANCE_LIMIT_KM),
    "max_municipalities_per_mentor": (1, MAX_MUNICIPALITIES),
    "min_load": (0, MAX_CAPACITY),
    "stability": (0, MAX_STABILITY),
    "time_limit": (1, MAX_TIME_LIMIT_S),
}
DEFAULT_PARAMS: dict[str, int] = {
    "max_distance_km": DEFAULT_MAX_DISTANCE_KM,
    "time_limit": DEFAULT_TIME_LIMIT_S,
}
SIDE_RULES = ("max_municipalities_per_mentor", "min_load", "stability")  # off unless set

PARAM_LABELS = {
    "max_distance_km": (_l("Longest distance (km)"), _l("No mentor is sent further than this.")),
    "max_municipalities_per_mentor": (_l("Municipalities per mentor at most"), _l("Empty: no limit.")),
    "min_load": (_l("Companies per mentor at least"), _l("Empty: no minimum.")),
    "stability": (_l("Stability"), _l("Bonus for keeping today's mentor; empty: the solver's default.")),
    "time_limit": (_l("Time limit (seconds)"), _l("How long the solver may search.")),
}


def validate_params(raw: dict[str, Any]) -> tuple[dict[str, int], dict[str, str]]:
    """Cleaned solver parameters and per-field errors; empty values mean "not set"."""
    return whole_number_params(raw, PARAM_LIMITS, DEFAULT_PARAMS)


def instance_params(params: dict[str, int]) -> dict[str, int]:
    """The parameters the matching contract's instance carries (time_limit goes to solve())."""
    chosen = {"max_distance_km": params.get("max_distance_km", DEFAULT_MAX_DISTANCE_KM)}
    chosen.update({name: params[name] for name in SIDE_RULES if name in params})
    return chosen
