"""Which finished molecules a new run computes again: timeouts under a smaller limit only,
or every failure on request; a success never."""

from __future__ import annotations

import pytest

from athanor.chem import standardize
from athanor.core.records import Evaluation
from athanor.execution.reruns import rerun_ids
from athanor.execution.tasks import timeout_evaluation, timeout_limit


@pytest.mark.parametrize("limit_s", [1.0, 2.5, 600.0, 0.1, 1234567.891, 1e-3])
def test_a_timeout_message_states_its_limit_exactly(limit_s):
    evaluation = timeout_evaluation(limit_s, 3.2, "worker killed")
    assert evaluation.status == "timeout" and evaluation.runtime_s == 3.2
    assert timeout_limit(evaluation.message) == limit_s


def test_messages_without_a_per_call_limit_state_none():
    assert timeout_limit("program exceeded its 600 s timeout") is None  # the oracle's own
    assert timeout_limit("exceeded the 10 s per-call timeout (worker killed)") == 10.0  # v1


@pytest.fixture
def history(store):
    """One molecule per kind of stored history for oracle ``fp``."""
    store.register_oracle("fp", "demo", "1", {}, {"gap": "eV"})
    names = ["ok", "timeout_1s", "timeout_1s_then_5s", "own_timeout", "failed", "ok_after_timeout"]
    smiles = ["C", "CC", "CCC", "CCCC", "CCCCC", "CCCCCC"]
    ids = dict(zip(names, store.add_molecules([standardize(s) for s in smiles]), strict=True))
    record = store.record_evaluation
    record(ids["ok"], "fp", Evaluation("ok", {"gap": 1.0}))
    record(ids["timeout_1s"], "fp", timeout_evaluation(1.0, 1.0, "worker killed"))
    record(ids["timeout_1s_then_5s"], "fp", timeout_evaluation(1.0, 1.0, "worker killed"))
    record(ids["timeout_1s_then_5s"], "fp", timeout_evaluation(5.0, 5.0, "worker killed"))
    own = Evaluation("timeout", message="program exceeded its 600 s timeout")
    record(ids["own_timeout"], "fp", own)
    record(ids["failed"], "fp", Evaluation("failed", message="worker process died (SIGSEGV)"))
    record(ids["ok_after_timeout"], "fp", timeout_evaluation(1.0, 1.0, "worker killed"))
    record(ids["ok_after_timeout"], "fp", Evaluation("ok", {"gap": 2.0}))
    return ids


def _names(ids: dict[str, int], chosen: set[int]) -> set[str]:
    return {name for name, key in ids.items() if key in chosen}


def test_timeouts_are_retried_only_under_a_larger_limit(store, history):
    assert rerun_ids(store, "fp", timeout_s=1.0) == set()
    assert _names(history, rerun_ids(store, "fp", timeout_s=2.0)) == {"timeout_1s"}
    assert _names(history, rerun_ids(store, "fp", timeout_s=5.0)) == {"timeout_1s"}
    both = {"timeout_1s", "timeout_1s_then_5s"}
    assert _names(history, rerun_ids(store, "fp", timeout_s=6.0)) == both
    assert _names(history, rerun_ids(store, "fp", timeout_s=None)) == both  # no limit
    assert rerun_ids(store, "other", timeout_s=None) == set()


def test_retry_failed_retries_every_molecule_without_a_success(store, history):
    chosen = rerun_ids(store, "fp", timeout_s=1.0, retry_failed=True)
    assert _names(history, chosen) == {
        "timeout_1s",
        "timeout_1s_then_5s",
        "own_timeout",
        "failed",
    }
