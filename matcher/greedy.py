"""Greedy baseline (for benchmarks): what a coordinator would do by hand.

Pinned companies first; then companies by priority (highest first, ties in input order), each
taking the allowed mentor with the highest value that still has room. With
`max_municipalities`, a mentor is skipped when taking the company would make it span more
municipalities than allowed (the rule is kept as the greedy goes, so no repair is needed later).
"""

import numpy as np

from . import pairs
from .arrays import IntArray
from .domain import Instance
from .side_constraints import municipality_ids


def greedy(instance: Instance, model: pairs.PairModel, max_municipalities: int | None = None) -> IntArray:
    """Mentor index per company (-1 = unassigned)."""
    n, n_m = len(instance.companies), len(instance.mentors)
    room = np.array([m.capacity for m in instance.mentors], dtype=np.int64)
    mentor_of = model.pinned.copy()
    np.subtract.at(room, mentor_of[mentor_of >= 0], 1)
    muni = municipality_ids([c.municipality for c in instance.companies])[0]
    spans: list[set[int]] = [set() for _ in range(n_m)]
    for i in np.flatnonzero(mentor_of >= 0):
        if muni[i] >= 0:
            spans[mentor_of[i]].add(muni[i])
    priority = np.array([c.priority for c in instance.companies])
    for i in np.lexsort((np.arange(n), -priority)).tolist():
        if mentor_of[i] >= 0 or model.block_of[i] < 0:
            continue
        b = model.blocks[model.block_of[i]]
        row = b.value[model.row_of[i]]
        for k in np.argsort(-row, kind="stable").tolist():
            j = int(b.cols[k])
            if row[k] <= 0:
                break
            g = muni[i]
            if room[j] <= 0 or (
                max_municipalities and g >= 0 and g not in spans[j] and len(spans[j]) >= max_municipalities
            ):
                continue
            mentor_of[i] = j
            room[j] -= 1
            if g >= 0:
                spans[j].add(g)
            break
    return mentor_of
