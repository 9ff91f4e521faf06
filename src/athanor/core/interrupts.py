"""Ctrl-C during RDKit calls, given back to Python.

RDKit (2025.09 and later) catches SIGINT itself during long substructure searches: it stops
the search, logs "Substructure search was interrupted, result may not include all matches"
and returns the partial result, so Python never sees the interrupt and a long run goes on
with a possibly wrong score. Inside `rdkit_interrupts_raised`, RDKit's log goes through
Python's `logging`, and that message raises `KeyboardInterrupt` in the main thread as soon
as the RDKit call has returned (raising it inside RDKit's log call would turn it into a
`SystemError`).
"""

from __future__ import annotations

import _thread
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

INTERRUPTED = "was interrupted"  # in RDKit's message of a search stopped by SIGINT
RAISE_AFTER_S = 0.05  # long enough for RDKit's log call to have returned


class _InterruptRaiser(logging.Handler):
    """Turns RDKit's "... was interrupted ..." log record into a KeyboardInterrupt."""

    def emit(self, record: logging.LogRecord) -> None:
        if INTERRUPTED in record.getMessage():
            threading.Timer(RAISE_AFTER_S, _thread.interrupt_main).start()


@contextmanager
def rdkit_interrupts_raised() -> Iterator[None]:
    """Within the block, a Ctrl-C that RDKit caught raises `KeyboardInterrupt` as usual."""
    from rdkit import rdBase

    logger, handler = logging.getLogger("rdkit"), _InterruptRaiser()
    logger.addHandler(handler)
    rdBase.LogToPythonLogger()
    try:
        yield
    finally:
        rdBase.LogToCppStreams()
        logger.removeHandler(handler)
