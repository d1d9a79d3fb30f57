"""Drops candidate starts that can never be needed (exact: the optimum does not change).

Left-shift argument: take any feasible choice and move each day's visits, in time order, to the
earliest candidate of the same assignment that is no earlier than the previous visit's end plus
the drive (or to the start of its run of consecutive candidates). Nothing gets worse: the same
days and companies, earlier or equal times, gaps only grow. So only those starts are needed:
each run's first start, and the first start after each needed start of another assignment plus
visit length plus drive, to a fixpoint.
"""

from bisect import bisect_left
from collections import defaultdict

from .candidates import Candidates


def prune(cands: list[Candidates], drives: list[list[int]], length: int, grid: int) -> None:
    """Keeps only the needed starts of `cands` (in place)."""
    by_day: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for i, c in enumerate(cands):
        for d, t in c.starts:
            by_day[d].setdefault(i, []).append(t)
    kept: dict[int, set[int]] = defaultdict(set)  # assignment -> kept minutes
    for starts in by_day.values():
        need = {
            i: {t for k, t in enumerate(ts) if k == 0 or ts[k - 1] != t - grid} for i, ts in starts.items()
        }
        frontier = [(i, t) for i, ts in need.items() for t in ts]
        while frontier:
            j, u = frontier.pop()
            for i, ts in starts.items():
                if i == j:
                    continue
                k = bisect_left(ts, u + length + drives[j][i])
                if k < len(ts) and ts[k] not in need[i]:
                    need[i].add(ts[k])
                    frontier.append((i, ts[k]))
        for i, needed in need.items():
            kept[i] |= needed
    for i, c in enumerate(cands):
        c.starts = [(d, t) for d, t in c.starts if t in kept[i]]
