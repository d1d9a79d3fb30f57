"""Allowed company-mentor pairs, built vectorized and pruned before they are built.

Companies are grouped by industry and by grid cell; a block holds the companies of one industry
in one cell against the mentors of that industry in the 3x3 neighbouring cells, so only pairs
that can be allowed are ever computed and the full company x mentor matrix never exists.
Every (company, mentor) pair lies in at most one block, and every company in at most one.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from . import geo
from .arrays import FloatArray, Indices, Int32Array, IntArray, IntegerArray
from .domain import Instance
from .parallel import map_blocks

BASE_VALUE = 10000
_CHUNK = 131_072  # pairs per step of a block's computation


@dataclass
class Block:
    rows: Indices  # company indices
    cols: Indices  # mentor indices, ascending
    fit: Int32Array  # fit of each column's mentor for this block's industry
    value: Int32Array  # int32 (rows x cols): contract value of the pair, 0 when not allowed


@dataclass
class PairModel:
    blocks: list[Block]
    block_of: IntArray  # per company: its block, -1 when no mentor of its industry is near
    row_of: IntArray  # per company: its row in that block
    n_qualified: IntArray  # per company: mentors serving its industry, at any distance
    n_in_range: IntArray  # ... of which within max_distance_km
    n_excluded: IntArray  # ... of which exclude the company
    pinned: IntArray  # per company: pinned mentor index or -1
    allowed_pairs: int
    companies: "geo.Points"
    mentors: "geo.Points"
    priority: Int32Array

    def block_value(self, i: int | np.integer[Any], j: int | np.integer[Any]) -> int:
        """Value of the pair (company i, mentor j) as stored in i's block; 0 when not allowed."""
        b = self.block_of[i]
        if b < 0:
            return 0
        cols = self.blocks[b].cols
        k = np.searchsorted(cols, j)
        return int(self.blocks[b].value[self.row_of[i], k]) if k < len(cols) and cols[k] == j else 0

    def pair_values(self, c: Indices, m: Indices, fit: IntegerArray) -> tuple[FloatArray, IntArray]:
        """(distance_km, contract value) of arbitrary pairs, e.g. pinned ones far away."""
        d = geo.pairwise_km(self.companies, c, self.mentors, m)
        return d, self.priority[c] * (BASE_VALUE + 10 * fit - np.floor(d).astype(np.int64))


def _block(
    cp: geo.Points,
    mp: geo.Points,
    priority: Int32Array,
    rows: Indices,
    cols: Indices,
    fit: Int32Array,
    radius_km: float,
) -> tuple[Int32Array, IntArray]:
    """Values (int32, 0 = too far) of a block and how many mentors are in range of each row.
    Computed a few rows at a time so the float temporaries stay in cache. The arithmetic is in
    float64, exact for these integers (all far below 2**53)."""
    value = np.empty((len(rows), len(cols)), dtype=np.int32)
    in_range = np.empty(len(rows), dtype=np.int64)
    base = (BASE_VALUE + 10 * fit).astype(np.float64)[None, :]
    step = max(1, _CHUNK // max(len(cols), 1))
    for r0 in range(0, len(rows), step):
        r = rows[r0 : r0 + step]
        d = geo.pairwise_km(cp, r[:, None], mp, cols[None, :])
        allowed = d <= radius_km
        in_range[r0 : r0 + step] = allowed.sum(axis=1)
        v = np.subtract(base, np.floor(d, out=d), out=d)
        v *= priority[r][:, None]
        v *= allowed
        value[r0 : r0 + step] = v
    return value, in_range


def _cells(
    lat: npt.ArrayLike, lon: npt.ArrayLike, radius_km: float, max_abs_lat: float
) -> tuple[IntArray, IntArray, IntArray, int]:
    row, col, n_cols = geo.grid_cells(lat, lon, radius_km, max_abs_lat)
    return row * n_cols + col, row, col, n_cols


def _group(keys: IntArray) -> dict[int, Indices]:
    order = np.argsort(keys, kind="stable")
    uniq, starts = np.unique(keys[order], return_index=True)
    # not strict: with no keys, np.split still returns one (empty) part
    return dict(zip(uniq.tolist(), np.split(order, starts[1:]), strict=False))


def build(instance: Instance) -> PairModel:
    comps, ments = instance.companies, instance.mentors
    n, radius = len(comps), instance.params.max_distance_km
    c_lat = np.array([c.lat for c in comps], dtype=np.float64)
    c_lon = np.array([c.lon for c in comps], dtype=np.float64)
    m_lat = np.array([m.lat for m in ments], dtype=np.float64)
    m_lon = np.array([m.lon for m in ments], dtype=np.float64)
    priority = np.array([c.priority for c in comps], dtype=np.int32)
    cp, mp = geo.Points(c_lat, c_lon), geo.Points(m_lat, m_lon)
    max_abs_lat = float(np.abs(np.concatenate([c_lat, m_lat, [0.0]])).max())
    c_key, c_row, c_col, n_cols = _cells(c_lat, c_lon, radius, max_abs_lat)
    m_key = _cells(m_lat, m_lon, radius, max_abs_lat)[0]

    by_industry: dict[str, list[tuple[int, int]]] = {}
    for j, m in enumerate(ments):
        for code, f in m.industries.items():
            by_industry.setdefault(code, []).append((j, f))
    comp_industry = np.array([c.industry for c in comps], dtype=object)

    blocks: list[Block] = []
    block_of = np.full(n, -1, dtype=np.int64)
    row_of = np.zeros(n, dtype=np.int64)
    n_qualified = np.zeros(n, dtype=np.int64)
    n_in_range = np.zeros(n, dtype=np.int64)
    d_cols = (-1, 0, 1) if n_cols > 1 else (0,)
    tasks: list[tuple[Indices, Indices, Int32Array]] = []  # (company rows, mentor cols, fit) of each block
    for code in sorted(set(comp_industry.tolist())):
        entries = by_industry.get(code)
        c_idx = np.flatnonzero(comp_industry == code)
        if not entries:
            continue
        n_qualified[c_idx] = len(entries)
        m_idx = np.array([e[0] for e in entries], dtype=np.int64)
        m_fit = np.array([e[1] for e in entries], dtype=np.int32)
        m_cells = _group(m_key[m_idx])
        for members in _group(c_key[c_idx]).values():
            rows: Indices = c_idx[members]
            r0, k0 = c_row[rows[0]], c_col[rows[0]]
            near = {(r0 + dr) * n_cols + (k0 + dc) % n_cols for dr in (-1, 0, 1) for dc in d_cols}
            parts = [m_cells[k] for k in sorted(near) if k in m_cells]
            if not parts:
                continue
            sel = np.sort(np.concatenate(parts))
            tasks.append((rows, m_idx[sel], m_fit[sel]))

    def one(task: tuple[Indices, Indices, Int32Array]) -> tuple[Int32Array, IntArray]:
        rows, cols, fit = task
        return _block(cp, mp, priority, rows, cols, fit, radius)

    done = map_blocks(one, tasks, [len(rows) * len(cols) for rows, cols, _ in tasks])
    for (rows, cols, fit), (value, in_range) in zip(tasks, done, strict=True):
        block_of[rows] = len(blocks)
        row_of[rows] = np.arange(len(rows))
        n_in_range[rows] = in_range
        blocks.append(Block(rows, cols, fit, value))

    n_excluded = np.zeros(n, dtype=np.int64)
    company_index = {c.id: i for i, c in enumerate(comps)}
    for j, m in enumerate(ments):
        for cid in sorted(m.exclude):
            i = company_index.get(cid)
            if i is None or block_of[i] < 0:
                continue
            b = blocks[block_of[i]]
            k = np.searchsorted(b.cols, j)
            if k < len(b.cols) and b.cols[k] == j and b.value[row_of[i], k] > 0:
                b.value[row_of[i], k] = 0
                n_excluded[i] += 1

    mentor_index = {m.id: j for j, m in enumerate(ments)}
    pinned = np.array(
        [mentor_index[c.pinned_mentor] if c.pinned_mentor else -1 for c in comps], dtype=np.int64
    )
    allowed_pairs = sum(int(np.count_nonzero(b.value)) for b in blocks)
    model = PairModel(
        blocks, block_of, row_of, n_qualified, n_in_range, n_excluded, pinned, allowed_pairs, cp, mp, priority
    )
    allowed_pairs += sum(1 for i in np.flatnonzero(pinned >= 0) if model.block_value(i, pinned[i]) == 0)
    model.allowed_pairs = allowed_pairs
    return model
