"""Order-preserving parallel map over processes, one thread each, with a progress bar.

Native libraries (RDKit, torch, tblite/OpenMP) oversubscribe two cores badly when each process
also starts a thread pool, so workers are started with every thread-count variable set to 1.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from tqdm.auto import tqdm

T = TypeVar("T")
R = TypeVar("R")
K = TypeVar("K")

THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)


def single_thread_environment() -> dict[str, str]:
    """A copy of `os.environ` with every native thread pool limited to one thread."""
    env = dict(os.environ)
    env.update({name: "1" for name in THREAD_VARIABLES})
    return env


def _limit_threads() -> None:
    os.environ.update({name: "1" for name in THREAD_VARIABLES})


def _apply_to_chunk(function: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [function(item) for item in chunk]


def _chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def imap_chunks(
    function: Callable[[T], R],
    chunks: Iterable[tuple[K, Sequence[T]]],
    *,
    n_jobs: int = 1,
) -> Iterator[tuple[K, list[R]]]:
    """Apply `function` to every item of a stream of keyed chunks, yielding chunks in order.

    One pool of `n_jobs` processes serves the whole stream, and at most ``2 * n_jobs`` chunks
    are in flight, so memory stays flat however long the stream is.

    Args:
        function: a picklable (module-level) function of one item; it should not raise.
        chunks: pairs (key, items); the key stays in this process (e.g. the rows' metadata).
        n_jobs: worker processes; 1 runs in this process.

    Yields:
        (key, results) with one result per item, in input order.
    """
    if n_jobs <= 1:
        for key, chunk in chunks:
            yield key, _apply_to_chunk(function, chunk)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(n_jobs, mp_context=context, initializer=_limit_threads) as pool:
        in_flight: deque = deque()
        for key, chunk in chunks:
            in_flight.append((key, pool.submit(_apply_to_chunk, function, chunk)))
            if len(in_flight) >= 2 * n_jobs:
                done_key, future = in_flight.popleft()
                yield done_key, future.result()
        while in_flight:
            done_key, future = in_flight.popleft()
            yield done_key, future.result()


def parallel_map(
    function: Callable[[T], R],
    items: Sequence[T],
    *,
    n_jobs: int = 1,
    chunk_size: int = 256,
    progress: bool = False,
    desc: str = "",
) -> list[R]:
    """Apply `function` to every item, in order, in `n_jobs` processes.

    Args:
        function: a picklable (module-level) function of one item. It should not raise: batch
            helpers wrap per-item failures into result records.
        items: the inputs, length n.
        n_jobs: worker processes; 1 (or a batch of one chunk) runs in this process.
        chunk_size: items sent to a worker at once.
        progress: show a tqdm progress bar (items/s and ETA).
        desc: label of the progress bar.

    Returns:
        A list of n results in the order of `items`.
    """
    n_jobs = n_jobs if len(items) > chunk_size else 1
    results: list[R] = []
    chunks = ((None, chunk) for chunk in _chunks(items, chunk_size))
    with tqdm(total=len(items), desc=desc, unit="mol", disable=not progress) as bar:
        for _, chunk_results in imap_chunks(function, chunks, n_jobs=n_jobs):
            results.extend(chunk_results)
            bar.update(len(chunk_results))
    return results
