"""Plain data of a planning instance (docs/planner.md); no numpy here, so importing stays cheap."""

from dataclasses import dataclass, field

SCORE_WEIGHT = 100000  # value = SCORE_WEIGHT * score + sum of member values - start week


@dataclass(frozen=True, slots=True)
class Engagement:
    """A start week and a team for one company (a pin, a current engagement or a plan's choice)."""

    start_week: int
    mentors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Mentor:
    id: str
    lat: float
    lon: float
    industries: dict[str, int]  # KSIC division -> fit 1..100
    skills: frozenset[str] = frozenset()
    unavailable_weeks: frozenset[int] = frozenset()
    max_concurrent: int = 1
    exclude: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Company:
    id: str
    lat: float
    lon: float
    industry: str
    weeks: int
    municipality: str = ""
    track: str = ""
    score: int = 50
    earliest_week: int = 0
    latest_end_week: int = 0
    team_size: int = 1
    skills: tuple[str, ...] = ()
    pinned: Engagement | None = None
    current: Engagement | None = None  # extension: the engagement planned so far (replanning)

    def starts(self) -> range:
        """The start weeks of its window."""
        return range(self.earliest_week, self.latest_end_week - self.weeks + 1)


@dataclass(frozen=True, slots=True)
class Params:
    max_commute_km: float = 80.0
    quotas: dict[str, int] = field(default_factory=dict)
    min_per_municipality: dict[str, int] = field(default_factory=dict)
    stability: int = 0  # extension: what a change of a current engagement must gain


@dataclass(frozen=True, slots=True)
class Instance:
    horizon_weeks: int
    mentors: list[Mentor]
    companies: list[Company]
    params: Params
