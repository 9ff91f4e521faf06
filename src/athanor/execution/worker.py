"""The code that runs inside a worker process: one thread, one oracle, one molecule at a time.

Thread-count variables are set before the oracle is unpickled, i.e. before tblite, PySCF or
NumPy's BLAS are imported, so each worker uses exactly one core. Each worker leads its own
session (hence process group), so the driver kills a hung worker together with every program
it started (`athanor.execution.local`). A closed pipe means the driver is done with the
worker, which then exits quietly.
"""

from __future__ import annotations

import os
import pickle
from multiprocessing.connection import Connection

from athanor.core.parallel import single_thread_environment
from athanor.core.processes import die_with_parent
from athanor.core.records import Evaluation
from athanor.oracles.base import Oracle

READY = "ready"


def evaluate_task(oracle: Oracle, smiles: str) -> Evaluation:
    """Evaluate one molecule with the oracle's per-item guarantees."""
    return oracle.evaluate([smiles])[0]


def _send(connection: Connection, message: object) -> bool:
    """Send `message` to the driver; False if it has closed the pipe."""
    try:
        connection.send(message)
    except OSError:  # BrokenPipeError, ConnectionResetError
        return False
    return True


def _receive(connection: Connection) -> tuple[int, str] | None:
    """The next ``(key, smiles)`` from the driver; None once it has closed the pipe."""
    try:
        return connection.recv()
    except (EOFError, OSError):
        return None


def serve(connection: Connection, oracle_bytes: bytes) -> None:
    """Worker main loop: send ``"ready"`` once the oracle is loaded, then receive
    ``(key, smiles)`` and send back ``(key, Evaluation)`` until the driver closes the pipe."""
    os.environ.update(single_thread_environment())
    # its own session: killing its group kills the programs it started, and Ctrl-C in the
    # terminal reaches only the driver, which handles it
    os.setsid()
    die_with_parent()
    oracle: Oracle = pickle.loads(oracle_bytes)
    if not _send(connection, READY):
        return
    while (task := _receive(connection)) is not None:
        key, smiles = task
        if not _send(connection, (key, evaluate_task(oracle, smiles))):
            return
