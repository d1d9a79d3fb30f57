"""Plain data types of the router (see /work/shared/specs/routing-contract.md)."""

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Point:
    """A place: (lat, lon) for the geo metric, (x, y) for the euclidean one, in `a`, `b`."""

    a: float
    b: float


@dataclass(frozen=True, slots=True)
class Travel:
    metric: str = "geo"  # "geo" or "euclidean"
    speed_kmh: float = 50.0
    road_factor: float = 1.3


@dataclass(frozen=True, slots=True)
class Shift:
    id: str
    start: Point
    end: Point
    open: float  # `from`: leaves start no earlier
    close: float  # `to`: back at end no later
    capacity: float = 0.0  # 0 = unlimited


@dataclass(frozen=True, slots=True)
class Visit:
    id: str
    at: Point
    duration: float
    windows: tuple[tuple[float, float], ...]
    priority: int = 1
    demand: float = 0.0
    shifts: frozenset[str] | None = None  # None = any shift

    def allows(self, shift_id: str) -> bool:
        return self.shifts is None or shift_id in self.shifts


@dataclass(frozen=True, slots=True)
class RoutingInstance:
    shifts: list[Shift]
    visits: list[Visit]
    travel: Travel = field(default_factory=Travel)
    shift_cost: float = 0.0
