"""The same runner on Ray: results, crashes and timeouts behave as with the local pool."""

from __future__ import annotations

import time

import pytest

from athanor.execution import RetryPolicy, make_executor, run_oracle
from athanor.execution.tasks import timeout_limit
from athanor.oracles.python_fn import PythonOracle
from tests.integration.test_execution_local import (
    COUNTER,
    MOLECULES,
    carbon_count,
    crash_on_benzene,
    hang_on_benzene,
)

pytestmark = pytest.mark.slow  # starting Ray takes 10-20 s on two cores


@pytest.fixture(scope="module")
def counter_file(tmp_path_factory):
    return tmp_path_factory.mktemp("ray") / "calls.txt"


@pytest.fixture(scope="module")
def ray_session(counter_file):
    """Ray on this machine; its workers inherit the call counter through the runtime env."""
    ray = pytest.importorskip("ray")
    env_vars = {"OMP_NUM_THREADS": "1", COUNTER: str(counter_file)}
    ray.init(
        num_cpus=2, include_dashboard=False, log_to_driver=False, runtime_env={"env_vars": env_vars}
    )
    yield
    ray.shutdown()


@pytest.fixture
def calls(counter_file, ray_session):
    counter_file.write_text("")
    return lambda: counter_file.read_text().split()


def one_second(smiles: str) -> dict[str, float]:
    """Takes 1 s on every molecule."""
    time.sleep(1.0)
    return {"carbons": 1.0}


def _oracle(function):
    return PythonOracle.from_function(function, {"carbons": "count"})


def test_ray_gives_the_same_results_as_local(store, calls, ray_session):
    summary = run_oracle(_oracle(carbon_count), MOLECULES, store, make_executor("ray", 2))
    assert summary.counts == {"ok": 5, "failed": 1}
    again = run_oracle(_oracle(carbon_count), MOLECULES, store, make_executor("ray", 2))
    assert again.cached == 6 and len(calls()) == 6


def test_ray_worker_crash_is_retried_and_recorded(store, calls, ray_session):
    retry = RetryPolicy(max_attempts=2, backoff_s=0.01)
    summary = run_oracle(
        _oracle(crash_on_benzene), MOLECULES, store, make_executor("ray", 2), retry=retry
    )
    assert summary.counts == {"ok": 5, "failed": 1} and summary.retries == 1
    attempts = store.evaluations_frame().query("smiles == 'c1ccccc1'")
    assert attempts["transient"].tolist() == [1, 0]


def test_ray_timeout_cancels_the_task(store, ray_session):
    executor = make_executor("ray", 2, timeout_s=5)
    summary = run_oracle(_oracle(hang_on_benzene), MOLECULES, store, executor)
    assert summary.counts == {"ok": 5, "timeout": 1}
    message = store.evaluations_frame().query("status == 'timeout'")["message"].item()
    assert timeout_limit(message) == 5.0  # so a rerun with a larger limit tries again


def test_ray_timeout_counts_from_the_start_of_the_call(store, ray_session):
    """Six 1 s calls on two CPUs, all in flight at once: Ray queues four of them, which must
    each still get the full 2.5 s limit once they start, not 2.5 s from their submission."""
    executor = make_executor("ray", len(MOLECULES), timeout_s=2.5)
    summary = run_oracle(_oracle(one_second), MOLECULES, store, executor)
    assert summary.counts == {"ok": len(MOLECULES)}
