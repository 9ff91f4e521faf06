"""Small parts of the execution layer: executor choice, back-off, failure grouping."""

from __future__ import annotations

import pytest

from athanor.core.errors import ConfigError
from athanor.core.records import Evaluation
from athanor.execution import LocalExecutor, RetryPolicy, RunSummary, make_executor
from athanor.execution.summary import failure_reason


def test_make_executor_checks_its_options():
    assert isinstance(make_executor("local", 2), LocalExecutor)
    with pytest.raises(ConfigError, match="choose one of: local, ray"):
        make_executor("dask")
    with pytest.raises(ConfigError, match="only meaningful with the ray executor"):
        make_executor("local", address="ray://head:10001")
    with pytest.raises(ConfigError, match="at least 1"):
        LocalExecutor(0)


def test_backoff_doubles():
    policy = RetryPolicy(max_attempts=4, backoff_s=0.5)
    assert [policy.delay(attempt) for attempt in (1, 2, 3)] == [0.5, 1.0, 2.0]


def test_failures_are_grouped_by_reason_not_by_molecule():
    summary = RunSummary("xtb", "0" * 16, requested=3)
    for heavy in (120, 150):
        summary.add(Evaluation("failed", message=f"{heavy} heavy atoms exceeds the limit of 100"))
    summary.add(Evaluation("ok", {"gap": 4.0}))
    assert summary.reasons == {"N heavy atoms exceeds the limit of N": 2}
    assert summary.counts == {"failed": 2, "ok": 1}
    assert failure_reason("cannot parse smiles 'C1CC'") == "cannot parse smiles '…'"
    assert "       2  N heavy atoms exceeds" in summary.format()
