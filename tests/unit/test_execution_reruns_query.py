"""`rerun_ids` selects in the database: transient attempts never decide, and the successes
stored for an oracle are not brought into memory to find the few molecules to redo."""

from __future__ import annotations

import tracemalloc

from sqlalchemy import insert

from athanor.chem import standardize
from athanor.core.records import Evaluation, Molecule
from athanor.execution.reruns import rerun_ids
from athanor.execution.tasks import timeout_evaluation
from athanor.store.schema import evaluations

N_SUCCESSES = 20_000


def test_transient_attempts_neither_block_nor_cause_a_rerun(store):
    store.register_oracle("fp", "demo", "1", {}, {"gap": "eV"})
    transient_only, then_timeout = store.add_molecules([standardize("CC"), standardize("CCC")])
    died = Evaluation("failed", message="worker process died (SIGKILL)")
    store.record_evaluation(transient_only, "fp", died, transient=True)
    store.record_evaluation(then_timeout, "fp", died, transient=True)
    store.record_evaluation(then_timeout, "fp", timeout_evaluation(1.0, 1.0, "worker killed"))
    assert rerun_ids(store, "fp", timeout_s=2.0) == {then_timeout}
    assert rerun_ids(store, "fp", timeout_s=None, retry_failed=True) == {then_timeout}


def _many_successes_and_one_timeout(store) -> int:
    """`N_SUCCESSES` molecules with a success for oracle ``fp``, one more timed out at 1 s."""
    store.register_oracle("fp", "demo", "1", {}, {"gap": "eV"})
    ids = store.add_molecules([Molecule(f"C{i}", "", 1) for i in range(N_SUCCESSES + 1)])
    row = {
        "fingerprint": "fp",
        "values": "{}",
        "runtime_s": 1.0,
        "attempt": 1,
        "transient": 0,
        "host": "test",
        "versions": "{}",
        "created_at": "2025-01-01T00:00:00",
    }
    with store.engine.begin() as connection:
        connection.execute(
            insert(evaluations),
            [{**row, "molecule_id": key, "status": "ok", "message": ""} for key in ids[:-1]],
        )
    store.record_evaluation(ids[-1], "fp", timeout_evaluation(1.0, 1.0, "worker killed"))
    return ids[-1]


def test_finding_the_reruns_does_not_load_the_successes(store):
    timed_out = _many_successes_and_one_timeout(store)
    rerun_ids(store, "fp", timeout_s=2.0)  # compiles and caches the statements
    tracemalloc.start()
    try:
        chosen = rerun_ids(store, "fp", timeout_s=2.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert chosen == {timed_out}
    assert peak < 20 * N_SUCCESSES  # the query: ~20 kB in all; holding the rows: ~190 B each
