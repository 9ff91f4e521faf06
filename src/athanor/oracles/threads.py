"""One thread per calculation, also when an oracle runs in the caller's own process.

Worker processes get single-thread environment variables before any import, which is free.
In the caller's process the native pools (OpenMP of tblite and PySCF, which bundles its own
libgomp, and BLAS) are already sized, so they are limited for the duration of a batch and
restored afterwards (a ~10 ms scan of the loaded libraries per batch). On two cores, two
OpenMP threads per small-molecule xTB calculation were measured 5x slower than one.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager, nullcontext


def single_threaded() -> AbstractContextManager:
    """A context in which every loaded OpenMP/BLAS pool uses one thread."""
    if os.environ.get("OMP_NUM_THREADS") == "1":
        return nullcontext()  # a worker, or a user who chose one thread
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: without it thread counts follow the environment
        return nullcontext()
    return threadpool_limits(limits=1)
