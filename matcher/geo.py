"""Great-circle distances exactly as the contract defines them (haversine, R = 6371.0 km)."""

import math

import numpy as np
import numpy.typing as npt

from .arrays import FloatArray, Indices, IntArray

EARTH_RADIUS_KM = 6371.0


class Points:
    """Per-point trigonometry computed once, so a pairwise distance needs no sin/cos per pair.

    sin(dlat/2) is expanded as sin(a/2)cos(b/2) - cos(a/2)sin(b/2) (same for lon): identical to
    the textbook haversine up to rounding in the last bits.
    """

    s_lat: FloatArray
    c_lat: FloatArray
    s_lon: FloatArray
    c_lon: FloatArray
    cos_lat: FloatArray

    def __init__(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> None:
        lat = np.radians(np.asarray(lat, dtype=np.float64))
        lon = np.radians(np.asarray(lon, dtype=np.float64))
        self.s_lat, self.c_lat = np.sin(lat / 2), np.cos(lat / 2)
        self.s_lon, self.c_lon = np.sin(lon / 2), np.cos(lon / 2)
        self.cos_lat = np.cos(lat)


def pairwise_km(a: Points, ia: int | Indices, b: Points, ib: int | Indices) -> FloatArray:
    """Distances between points a[ia] and b[ib]; index arrays broadcast (use [:, None] for a grid)."""
    x = a.s_lat[ia] * b.c_lat[ib] - a.c_lat[ia] * b.s_lat[ib]
    y = a.s_lon[ia] * b.c_lon[ib] - a.c_lon[ia] * b.s_lon[ib]
    h = x * x + a.cos_lat[ia] * b.cos_lat[ib] * (y * y)
    d: FloatArray = (2 * EARTH_RADIUS_KM) * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
    return d


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Scalar haversine distance in km (for callers without numpy arrays)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(h, 1.0)))


def grid_cells(
    lat: npt.ArrayLike, lon: npt.ArrayLike, radius_km: float, max_abs_lat: float
) -> tuple[IntArray, IntArray, int]:
    """Cell (row, col) of each point for a grid where two points within `radius_km` of each other
    are always in the same or adjacent cells (columns wrap around the antimeridian).

    Rows: a latitude difference never exceeds the distance / R. Columns: from
    hav(d/R) >= cos(lat1)cos(lat2)hav(dlon), |dlon| <= 2 asin(sin(d/2R) / cos(max |lat|)).
    Returns (row, col, n_cols).
    """
    r = max(radius_km, 0.001) * (1 + 1e-9) / EARTH_RADIUS_KM
    row = np.floor((np.asarray(lat) + 90.0) / math.degrees(r)).astype(np.int64)
    ratio = math.sin(r / 2) / max(math.cos(math.radians(max_abs_lat)), 1e-12)
    n_cols = 1 if ratio >= 1 else int(360.0 // math.degrees(2 * math.asin(ratio)))
    if n_cols < 3:
        return row, np.zeros_like(row), 1
    col = np.floor((np.asarray(lon) + 180.0) / (360.0 / n_cols)).astype(np.int64) % n_cols
    return row, col, n_cols
