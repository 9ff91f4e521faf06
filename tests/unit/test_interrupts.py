"""Ctrl-C during an RDKit substructure search: RDKit catches SIGINT and returns a partial
result; `rdkit_interrupts_raised` gives the interrupt back to Python."""

from __future__ import annotations

import gc
import os
import signal
import threading
import time

import pytest
from rdkit import Chem

from athanor.core.interrupts import rdkit_interrupts_raised

C60 = (
    "C12=C3C4=C5C6=C1C7=C8C9=C1C%10=C%11C(=C29)C3=C2C3=C4C4=C5C5=C9C6=C7C6=C7C8=C1C1=C8C%10="
    "C%10C%11=C2C2=C3C3=C4C4=C5C5=C%11C%12=C(C6=C95)C7=C1C1=C%12C5=C%11C4=C3C3=C5C(=C81)"
    "C%10=C23"
)
PATH_30 = "~".join(["*"] * 30)  # every 30-atom path of C60: a search of many seconds


def _interrupted_search() -> int:
    """Matches found by a long search that receives SIGINT after 0.3 s."""
    molecule, query = Chem.MolFromSmiles(C60), Chem.MolFromSmarts(PATH_30)
    # collect earlier tests' garbage now: an interrupt that lands in a weakref callback of
    # a collected object (e.g. SQLAlchemy's, left by Optuna tests) is printed and dropped
    gc.collect()
    threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
    matches = molecule.GetSubstructMatches(query, uniquify=False, maxMatches=10**9)
    for _ in range(50):  # where a run would go on with the partial result (5 s: a busy
        time.sleep(0.1)  # machine may start the raising timer thread late)
    return len(matches)


def test_ctrl_c_in_a_substructure_search_raises_within_the_block():
    # Python's own Ctrl-C handler, whatever an earlier test left installed
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        # without the block the search returns a partial result and no KeyboardInterrupt
        with pytest.raises(KeyboardInterrupt), rdkit_interrupts_raised():
            _interrupted_search()
    finally:
        signal.signal(signal.SIGINT, previous)
