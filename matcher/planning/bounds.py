"""The quota bound: every plan is worth at most what the best applicants of each track would be
worth alone. Each free company's best value is its best column with every other company away
(pins stay); a plan takes at most `quota_left` companies of a quota's track, so per track the
sum of the largest best values up to the quota bounds it (mentor capacity and minimums relaxed).
Selection dominates the value (100000 x score), so this cheap bound is often within a few
thousandths of a percent of the optimum; the column generation's bound can only add to it."""

from .greedy import best_column
from .pricing import Column, TeamPicker
from .pruning import Problem


def best_alone(problem: Problem, pickers: list[TeamPicker]) -> list[Column | None]:
    """Each free company's best column when it is the only one served (pins stay)."""
    return [best_column(problem, pickers[f], f, problem.capacity) for f in range(len(problem.free))]


def quota_bound(problem: Problem, best: list[Column | None], currents: list[Column]) -> int:
    """Sum over tracks of the largest best values, at most the track's quota_left of them;
    `currents` (columns worth `stability` more) count at their stabilised value."""
    value = {f: col.value for f, col in enumerate(best) if col is not None}
    for col in currents:
        value[col.free] = max(value.get(col.free, col.value), col.value)
    by_track: dict[str, list[int]] = {}
    for f, v in value.items():
        by_track.setdefault(problem.free[f].track, []).append(max(v, 0))
    total = 0
    for track, values in by_track.items():
        values.sort(reverse=True)
        total += sum(values[: problem.quota_left[track]] if track in problem.quota_left else values)
    return total
