"""A small thread pool for per-block numpy work (numpy releases the GIL in its array loops)."""

import os
from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING, Self, TypeVar, cast

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from .arrays import Indices

T = TypeVar("T")
R = TypeVar("R")

THREADS = min(2, os.cpu_count() or 1)
MIN_WORK = 200_000  # below this many elements in all the items together, one thread is faster


def map_blocks(fn: Callable[[T], R], items: list[T], sizes: list[int], threads: int | None = None) -> list[R]:
    """[fn(x) for x in items], spread over `threads` threads (largest items first) when the
    work (`sizes`, e.g. the element count of each item) is large enough to pay for it."""
    threads = THREADS if threads is None else threads
    if threads < 2 or len(items) < 2 or sum(sizes) < MIN_WORK:
        return [fn(x) for x in items]
    from concurrent.futures import ThreadPoolExecutor

    order = sorted(range(len(items)), key=lambda i: -sizes[i])
    out: list[R | None] = [None] * len(items)
    with ThreadPoolExecutor(threads) as pool:
        for i, r in zip(order, pool.map(fn, [items[i] for i in order]), strict=True):
            out[i] = r
    return cast(list[R], out)  # every entry was set: `order` is a permutation of the indices


def chunk_runs(starts: "Indices", total: int, threads: int | None = None) -> list[tuple[int, int, int, int]]:
    """Split runs of a sorted array (starting at `starts`, `total` elements in all) into
    contiguous chunks of about equal element count, one per thread when the work is large
    enough: (first run, end run, first element, end element) per chunk."""
    threads = THREADS if threads is None else threads
    if threads < 2 or total < MIN_WORK or len(starts) < threads:
        return [(0, len(starts), 0, total)]
    import numpy as np

    cuts = np.searchsorted(starts, [total * i // threads for i in range(1, threads)])
    runs = [0, *cuts.tolist(), len(starts)]
    runs = sorted(set(runs))
    return [
        (r0, r1, int(starts[r0]), int(starts[r1]) if r1 < len(starts) else total) for r0, r1 in pairwise(runs)
    ]


class Workers:
    """A thread pool kept open for a loop of many short parallel steps (one pool for the loop,
    not one per step); with one chunk it runs inline."""

    _pool: "ThreadPoolExecutor | None"

    def __init__(self, threads: int):
        self._pool = None
        if threads > 1:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(threads)

    def map(self, fn: Callable[[T], R], items: list[T]) -> list[R]:
        return list(self._pool.map(fn, items)) if self._pool else [fn(x) for x in items]

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool:
            self._pool.shutdown()
