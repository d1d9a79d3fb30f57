"""Pruning: what is left to decide once pins are placed, with each company's candidate mentors.

A candidate of company c is a mentor within the commute limit that does not exclude c and can
serve at all (max_concurrent > 0). Whether a team of candidates is valid then depends only on
the two coverage rules (industry, skills), encoded per candidate as a bit mask over c's
requirements: bit 0 = lists c's industry, bit 1 + i = holds c's i-th skill.
"""

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..geo import EARTH_RADIUS_KM, distance_km
from .model import SCORE_WEIGHT, Company, Instance

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
EXACT_MARGIN_KM = 1e-6  # vectorized distances this close to an integer or the limit are redone exactly


@dataclass(frozen=True, slots=True)
class Candidates:
    """A free (unpinned) company with what its pricing needs."""

    company: int  # index into instance.companies
    mentors: IntArray  # candidate mentor indices
    member: IntArray  # member(c, m) per candidate
    masks: IntArray  # requirement bits covered per candidate
    full: int  # all requirement bits
    team_size: int
    weeks: int
    starts: IntArray
    base: int  # SCORE_WEIGHT * score
    track: str
    municipality: str

    def coverable(self) -> bool:
        """Whether some team of candidates could satisfy the size and coverage rules."""
        covered = int(np.bitwise_or.reduce(self.masks)) if len(self.masks) else 0
        return len(self.mentors) >= self.team_size and covered == self.full


@dataclass(frozen=True, slots=True)
class Problem:
    """The instance after pins: residual mentor-week capacity, quotas and minimums, and the
    candidates of every free company."""

    instance: Instance
    capacity: IntArray  # (mentors, weeks) engagements a mentor may still take in a week
    free: list[Candidates]
    pinned: list[int]  # company indices
    quota_left: dict[str, int]  # track -> places left after pins
    minimum_left: dict[str, int]  # municipality -> companies still needed after pins
    distance: FloatArray  # (companies, mentors) km


def distance_matrix(instance: Instance) -> FloatArray:
    """Haversine km between every company and mentor; entries whose floor or comparison with the
    commute limit could depend on the last bits are recomputed with the scalar `distance_km`."""
    c_lat = np.radians([c.lat for c in instance.companies])[:, None]
    c_lon = np.radians([c.lon for c in instance.companies])[:, None]
    m_lat = np.radians([m.lat for m in instance.mentors])[None, :]
    m_lon = np.radians([m.lon for m in instance.mentors])[None, :]
    h = np.sin((m_lat - c_lat) / 2) ** 2 + np.cos(c_lat) * np.cos(m_lat) * np.sin((m_lon - c_lon) / 2) ** 2
    d: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
    limit = instance.params.max_commute_km
    near = (np.abs(d - np.round(d)) < EXACT_MARGIN_KM) | (np.abs(d - limit) < EXACT_MARGIN_KM)
    for i, j in zip(*np.nonzero(near), strict=True):
        c, m = instance.companies[i], instance.mentors[j]
        d[i, j] = distance_km(c.lat, c.lon, m.lat, m.lon)
    return d


def pin_load(instance: Instance) -> IntArray:
    """(mentors, weeks) engagements that pins already give each mentor in each week."""
    index = {m.id: j for j, m in enumerate(instance.mentors)}
    load = np.zeros((len(instance.mentors), instance.horizon_weeks), dtype=np.int64)
    for c in instance.companies:
        if c.pinned is not None:
            for mid in c.pinned.mentors:
                load[index[mid], c.pinned.start_week : c.pinned.start_week + c.weeks] += 1
    return load


def requirement_masks(c: Company, instance: Instance, mentors: IntArray) -> IntArray:
    masks = np.zeros(len(mentors), dtype=np.int64)
    for k, j in enumerate(mentors.tolist()):
        m = instance.mentors[j]
        bits = int(c.industry in m.industries)
        for i, skill in enumerate(c.skills):
            bits |= int(skill in m.skills) << (1 + i)
        masks[k] = bits
    return masks


def prepare(instance: Instance) -> Problem:
    mentors = instance.mentors
    distance = distance_matrix(instance) if mentors and instance.companies else np.zeros((0, 0))
    capacity = np.array([[m.max_concurrent] * instance.horizon_weeks for m in mentors], dtype=np.int64)
    capacity = capacity.reshape(len(mentors), instance.horizon_weeks)
    for j, m in enumerate(mentors):
        capacity[j, sorted(m.unavailable_weeks)] = 0
    capacity = np.maximum(capacity - pin_load(instance), 0)
    quota_left = dict(instance.params.quotas)
    minimum_left = dict(instance.params.min_per_municipality)
    free, pinned = [], []
    limit = instance.params.max_commute_km
    for i, c in enumerate(instance.companies):
        if c.pinned is not None:
            pinned.append(i)
            if c.track in quota_left:
                quota_left[c.track] -= 1
            if c.municipality in minimum_left:
                minimum_left[c.municipality] = max(0, minimum_left[c.municipality] - 1)
            continue
        ok = [
            j
            for j, m in enumerate(mentors)
            if distance[i, j] <= limit and m.max_concurrent > 0 and c.id not in m.exclude
        ]
        cand = np.array(ok, dtype=np.int64)
        member = np.array(
            [10 * mentors[j].industries.get(c.industry, 0) - math.floor(distance[i, j]) for j in ok],
            dtype=np.int64,
        )
        starts = np.array(c.starts(), dtype=np.int64)
        full = (1 << (1 + len(c.skills))) - 1
        masks = requirement_masks(c, instance, cand)
        free.append(
            Candidates(
                i,
                cand,
                member,
                masks,
                full,
                c.team_size,
                c.weeks,
                starts,
                SCORE_WEIGHT * c.score,
                c.track,
                c.municipality,
            )
        )
    return Problem(instance, capacity, free, pinned, quota_left, minimum_left, distance)
