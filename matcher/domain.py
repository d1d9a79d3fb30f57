"""Plain data types of the matcher (no numpy here: importing them must stay cheap)."""

from dataclasses import dataclass, field


class InvalidInstance(ValueError):
    """Raised by `matcher.solve` on bad input; `errors` holds one contract-style line per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True, slots=True)
class Mentor:
    id: str
    lat: float
    lon: float
    capacity: int
    industries: dict[str, int]  # KSIC division -> fit 1..100
    exclude: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Company:
    id: str
    lat: float
    lon: float
    industry: str
    priority: int = 1
    municipality: str | None = None
    pinned_mentor: str | None = None
    current_mentor: str | None = None  # optional extension, used by params.stability


@dataclass(frozen=True, slots=True)
class Params:
    max_distance_km: float = 80.0
    max_municipalities_per_mentor: int | None = None  # off when None
    min_load: int | None = None  # off when None or 0
    stability: int | None = None  # off when None or 0

    @property
    def side_rules(self) -> dict[str, int]:
        """The side constraints that are switched on, by name."""
        rules = {
            "max_municipalities_per_mentor": self.max_municipalities_per_mentor,
            "min_load": self.min_load,
            "stability": self.stability,
        }
        return {k: v for k, v in rules.items() if v}


@dataclass(frozen=True, slots=True)
class Instance:
    mentors: list[Mentor]
    companies: list[Company]
    params: Params = field(default_factory=Params)
