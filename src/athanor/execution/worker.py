"""The code that runs inside a worker process: one thread, one oracle, one molecule at a time.

Thread-count variables are set before the oracle is unpickled, i.e. before tblite, PySCF or
NumPy's BLAS are imported, so each worker uses exactly one core.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
from multiprocessing.connection import Connection

from athanor.core.parallel import THREAD_VARIABLES
from athanor.core.records import Evaluation
from athanor.oracles.base import Oracle

_PR_SET_PDEATHSIG = 1
READY = "ready"


def limit_threads() -> None:
    """One thread for every native thread pool of this process (before they are imported)."""
    os.environ.update({name: "1" for name in THREAD_VARIABLES})


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the driver dies (SIGKILL leaves no cleanup)."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: exit at the next read
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def evaluate_task(oracle: Oracle, smiles: str) -> Evaluation:
    """Evaluate one molecule with the oracle's per-item guarantees."""
    return oracle.evaluate([smiles])[0]


def serve(connection: Connection, oracle_bytes: bytes) -> None:
    """Worker main loop: send ``"ready"`` once the oracle is loaded, then receive
    ``(key, smiles)`` and send back ``(key, Evaluation)`` until the driver closes the pipe."""
    limit_threads()
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    oracle: Oracle = pickle.loads(oracle_bytes)
    connection.send(READY)
    while True:
        try:
            key, smiles = connection.recv()
        except (EOFError, OSError):
            return
        connection.send((key, evaluate_task(oracle, smiles)))
