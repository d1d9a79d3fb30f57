"""Reasons, in words a programme coordinator understands, for every line of the result."""

from .domain import Company, Params


def _km(d: float) -> str:
    return "less than 1 km away" if d < 1 else f"{d:.0f} km away"


def assignment_reasons(
    company: Company, mentor_id: str, fit: int, distance_km: float, params: Params
) -> list[str]:
    reasons = []
    if company.pinned_mentor is not None:
        reasons.append("pinned (confirmed visits)")
    if company.current_mentor == mentor_id and company.pinned_mentor is None:
        reasons.append("kept for stability" if params.stability else "same mentor as before")
    reasons.append(f"same industry {company.industry} (fit {fit})")
    reasons.append(_km(distance_km))
    if company.priority > 1:
        reasons.append(f"priority {company.priority}")
    return reasons


def unassigned_reason(
    company: Company,
    params: Params,
    n_qualified: int,
    n_in_range: int,
    n_excluded: int,
    nearest_km: float | None,
    n_free: int,
) -> str:
    """`n_free`: qualified, non-excluding mentors in range that still had room in the answer."""
    limit = f"{params.max_distance_km:g} km"
    if n_qualified == 0:
        return f"no mentor of industry {company.industry}"
    if n_in_range == 0:
        nearest = f" (nearest is {nearest_km:.0f} km away)" if nearest_km is not None else ""
        return f"no qualified mentor within {limit}{nearest}"
    if n_excluded == n_in_range:
        return f"excluded by every qualified mentor within {limit} (conflict of interest)"
    if n_free:
        k = params.max_municipalities_per_mentor
        return (
            f"the {n_free} qualified mentor(s) within {limit} with free places already cover "
            f"{k} municipalities (max_municipalities_per_mentor)"
        )
    n_ok = n_in_range - n_excluded
    return f"all {n_ok} qualified mentor(s) within {limit} are full"
