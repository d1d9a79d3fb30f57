"""Driving time between two places, estimated from distance.

Road distance = great-circle (haversine) distance x `road_factor`; time = road distance at
`speed_kmh`, rounded up to whole minutes.
"""

import math
from typing import Protocol

EARTH_RADIUS_KM = 6371.0


class Place(Protocol):
    """Anything with a position, e.g. a `MentorCalendar` or a `CompanyCalendar`."""

    @property
    def lat(self) -> float: ...

    @property
    def lon(self) -> float: ...


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(h, 1.0)))


def travel_minutes(a: Place, b: Place, speed_kmh: float, road_factor: float) -> int:
    """Minutes to drive between objects `a` and `b` that have .lat and .lon."""
    km = haversine_km(a.lat, a.lon, b.lat, b.lon) * road_factor
    return math.ceil(km / speed_kmh * 60 - 1e-9)
