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


def best_values(best: list[Column | None], currents: list[Column]) -> dict[int, int]:
    """Each company's best value alone (a current engagement with its stability), when it has one."""
    value = {f: col.value for f, col in enumerate(best) if col is not None}
    for col in currents:
        value[col.free] = max(value.get(col.free, col.value), col.value)
    return value


def selection_bound(
    problem: Problem, best: list[Column | None], currents: list[Column]
) -> tuple[int, list[int]] | None:
    """With municipality minimums: the best selection by value alone that keeps the quotas and
    the minimums (a small integer program by HiGHS), its value (a bound, capacity relaxed) and
    companies. None when no minimum applies or no selection keeps them."""
    import highspy
    import numpy as np

    from .colgen import quiet_highs

    needs = {name: n for name, n in problem.minimum_left.items() if n > 0}
    if not needs:
        return None
    value = best_values(best, currents)
    fs = sorted(value)
    tracks = sorted(t for t in problem.quota_left if any(problem.free[f].track == t for f in fs))
    places = sorted(needs)
    h = quiet_highs()
    h.setOptionValue("presolve", "on")
    h.setOptionValue("mip_rel_gap", 0.0)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    inf = highspy.kHighsInf
    lower = [-inf] * len(tracks) + [float(needs[p]) for p in places]
    upper = [float(problem.quota_left[t]) for t in tracks] + [inf] * len(places)
    h.addRows(len(lower), np.array(lower), np.array(upper), 0, np.array([0]), np.array([0]), np.array([0.0]))
    starts: list[int] = []
    index: list[int] = []
    for f in fs:
        cand = problem.free[f]
        starts.append(len(index))
        if cand.track in problem.quota_left:
            index.append(tracks.index(cand.track))
        if cand.municipality in needs:
            index.append(len(tracks) + places.index(cand.municipality))
    n = len(fs)
    h.addCols(
        n,
        np.array([float(max(value[f], 0)) for f in fs]),
        np.zeros(n),
        np.ones(n),
        len(index),
        np.array(starts, dtype=np.int32),
        np.array(index, dtype=np.int32),
        np.ones(len(index)),
    )
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = h.getSolution().col_value
    chosen = [f for f, v in zip(fs, x, strict=True) if v > 0.5]
    bound = max(sum(max(value[f], 0) for f in chosen), int(h.getInfo().mip_dual_bound + 1e-3))
    return bound, chosen


def quota_bound(problem: Problem, best: list[Column | None], currents: list[Column]) -> int:
    """Sum over tracks of the largest best values, at most the track's quota_left of them;
    `currents` (columns worth `stability` more) count at their stabilised value."""
    value = best_values(best, currents)
    by_track: dict[str, list[int]] = {}
    for f, v in value.items():
        by_track.setdefault(problem.free[f].track, []).append(max(v, 0))
    total = 0
    for track, values in by_track.items():
        values.sort(reverse=True)
        total += sum(values[: problem.quota_left[track]] if track in problem.quota_left else values)
    return total
