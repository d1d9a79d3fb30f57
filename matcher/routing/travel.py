"""Exact travel minutes between points, as the contract defines them.

geo: haversine km (R = 6371.0, as in the matching contract) x road_factor / speed_kmh x 60;
euclidean: the plain Euclidean distance, unrounded.
"""

import numpy as np
import numpy.typing as npt

from .model import Point, Travel

EARTH_RADIUS_KM = 6371.0

Matrix = npt.NDArray[np.float64]


def travel_matrix(points: list[Point], travel: Travel) -> Matrix:
    """minutes[i, j] from points[i] to points[j] (symmetric, zero diagonal)."""
    a = np.array([p.a for p in points], dtype=np.float64)
    b = np.array([p.b for p in points], dtype=np.float64)
    if travel.metric == "euclidean":
        return np.asarray(np.hypot(a[:, None] - a[None, :], b[:, None] - b[None, :]), dtype=np.float64)
    lat, lon = np.radians(a), np.radians(b)
    h = (
        np.sin((lat[None, :] - lat[:, None]) / 2) ** 2
        + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin((lon[None, :] - lon[:, None]) / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
    return np.asarray(km * travel.road_factor / travel.speed_kmh * 60.0, dtype=np.float64)
