"""One thread per calculation, also when an oracle runs in the caller's process.

Worker processes get single-thread environment variables before any import; in the caller's
own process the native pools (OpenMP of tblite and PySCF, BLAS) are already sized, so they are
limited for the duration of a batch and restored afterwards. On two cores, two OpenMP threads
per small-molecule xTB calculation were measured 5x slower than one.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from functools import cache


@cache
def _controller():
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # optional: without it thread counts follow the environment
        return None
    return ThreadpoolController()


def single_threaded() -> AbstractContextManager:
    """A context in which every loaded OpenMP/BLAS pool uses one thread."""
    controller = _controller()
    return nullcontext() if controller is None else controller.limit(limits=1)
