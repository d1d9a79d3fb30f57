"""A small thread pool for per-block numpy work (numpy releases the GIL in its array loops)."""

import os

THREADS = min(2, os.cpu_count() or 1)
MIN_WORK = 200_000  # below this many elements in all the items together, one thread is faster


def map_blocks(fn, items: list, sizes: list[int], threads: int | None = None) -> list:
    """[fn(x) for x in items], spread over `threads` threads (largest items first) when the
    work (`sizes`, e.g. the element count of each item) is large enough to pay for it."""
    threads = THREADS if threads is None else threads
    if threads < 2 or len(items) < 2 or sum(sizes) < MIN_WORK:
        return [fn(x) for x in items]
    from concurrent.futures import ThreadPoolExecutor

    order = sorted(range(len(items)), key=lambda i: -sizes[i])
    out = [None] * len(items)
    with ThreadPoolExecutor(threads) as pool:
        for i, r in zip(order, pool.map(fn, [items[i] for i in order])):
            out[i] = r
    return out
