"""The local executor and the runner: no recomputation, crashes, hangs, retries, streaming."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from athanor.execution import LocalExecutor, RetryPolicy, Task, run_oracle
from athanor.execution.local import WorkerStartError
from athanor.oracles.python_fn import PythonOracle

COUNTER = "ATHANOR_TEST_CALLS"  # file where each call of the functions below appends a line
MOLECULES = ["CCO", "CCN", "CCC", "c1ccccc1", "CC(=O)O", "CCCl"]


def _count_call(smiles: str) -> None:
    with open(os.environ[COUNTER], "a") as handle:
        handle.write(smiles + "\n")


def carbon_count(smiles: str) -> dict[str, float]:
    """Counts its calls; fails (deterministically) on chlorine."""
    _count_call(smiles)
    if "Cl" in smiles:
        raise ValueError("no chlorine please")
    return {"carbons": smiles.upper().count("C") - smiles.count("Cl")}


def crash_on_benzene(smiles: str) -> dict[str, float]:
    """Segfaults the worker process on benzene."""
    _count_call(smiles)
    if smiles == "c1ccccc1":
        ctypes.string_at(0)
    return {"carbons": 1.0}


def hang_on_benzene(smiles: str) -> dict[str, float]:
    if smiles == "c1ccccc1":
        time.sleep(3600)
    return {"carbons": 1.0}


def crash_once(smiles: str) -> dict[str, float]:
    """The worker dies the first time it sees benzene (a transient infrastructure failure)."""
    _count_call(smiles)
    marker = Path(os.environ[COUNTER]).with_suffix(".crashed")
    if smiles == "c1ccccc1" and not marker.exists():
        marker.touch()
        os._exit(1)
    return {"carbons": 1.0}


def slow_benzene(smiles: str) -> dict[str, float]:
    """Takes 3 s on benzene."""
    _count_call(smiles)
    if smiles == "c1ccccc1":
        time.sleep(3)
    return {"carbons": 1.0}


def sleep_on_benzene(smiles: str) -> dict[str, float]:
    """Starts ``sleep 30`` on benzene and waits for it; writes the program's pid first."""
    if smiles == "c1ccccc1":
        program = subprocess.Popen(["sleep", "30"])
        Path(os.environ[COUNTER]).write_text(str(program.pid))
        program.wait()
    return {"carbons": 1.0}


@pytest.fixture
def calls(tmp_path, monkeypatch):
    path = tmp_path / "calls.txt"
    path.touch()
    monkeypatch.setenv(COUNTER, str(path))
    return lambda: path.read_text().split()


def _oracle(function):
    return PythonOracle.from_function(function, {"carbons": "count"})


def test_finished_pairs_are_never_computed_again(store, calls):
    oracle = _oracle(carbon_count)
    first = run_oracle(oracle, MOLECULES, store, LocalExecutor(2))
    assert first.counts == {"ok": 5, "failed": 1}
    assert sorted(calls()) == sorted(MOLECULES)
    second = run_oracle(oracle, [*MOLECULES, "OCC", "CCCC"], store, LocalExecutor(2))
    assert second.cached == 6  # "OCC" is ethanol again: standardised to the stored CCO
    assert calls().count("CCCC") == 1 and len(calls()) == 7  # only butane was new
    frame = store.evaluations_frame(oracle.fingerprint)
    assert len(frame) == 7 and frame.loc[frame.smiles == "CCCl", "status"].item() == "failed"
    assert frame.loc[frame.smiles == "CCO", "carbons"].item() == 2


def test_a_timeout_is_computed_again_only_under_a_larger_limit(store, calls):
    oracle, molecules = _oracle(slow_benzene), ["CCO", "c1ccccc1"]
    first = run_oracle(oracle, molecules, store, LocalExecutor(1, timeout_s=1))
    assert first.counts == {"ok": 1, "timeout": 1}
    same = run_oracle(oracle, molecules, store, LocalExecutor(1, timeout_s=1))
    assert same.cached == 2 and same.computed == 0
    larger = run_oracle(oracle, molecules, store, LocalExecutor(1, timeout_s=10))
    assert larger.cached == 1 and larger.counts == {"ok": 1}
    unlimited = run_oracle(oracle, molecules, store, LocalExecutor(1))
    assert unlimited.cached == 2 and unlimited.computed == 0  # a success is final
    assert calls() == ["CCO", "c1ccccc1", "c1ccccc1"]
    rows = store.evaluations_frame().query("smiles == 'c1ccccc1'")
    assert rows["status"].tolist() == ["timeout", "ok"]
    assert "1 s per-call timeout" in rows["message"].iloc[0]


def test_failures_are_computed_again_only_on_request(store, calls):
    oracle, molecules = _oracle(carbon_count), ["CCO", "CCCl"]
    assert run_oracle(oracle, molecules, store).counts == {"ok": 1, "failed": 1}
    assert run_oracle(oracle, molecules, store).computed == 0
    again = run_oracle(oracle, molecules, store, retry_failed=True)
    assert again.cached == 1 and again.counts == {"failed": 1}
    assert calls() == ["CCO", "CCCl", "CCCl"]


def test_a_new_fingerprint_computes_again(store, calls):
    run_oracle(_oracle(carbon_count), MOLECULES[:2], store, LocalExecutor(1))
    other = PythonOracle.from_function(carbon_count, {"carbons": "count"}, function_version="2")
    assert run_oracle(other, MOLECULES[:2], store, LocalExecutor(1)).counts["ok"] == 2
    assert len(calls()) == 4


def test_segfaulting_worker_is_retried_then_recorded_and_the_batch_completes(store, calls):
    retry = RetryPolicy(max_attempts=3, backoff_s=0.01)
    summary = run_oracle(_oracle(crash_on_benzene), MOLECULES, store, LocalExecutor(2), retry=retry)
    assert summary.counts == {"ok": 5, "failed": 1} and summary.retries == 2
    attempts = store.evaluations_frame().query("smiles == 'c1ccccc1'")
    assert attempts["attempt"].tolist() == [1, 2, 3]
    assert attempts["transient"].tolist() == [1, 1, 0]  # the last one is final
    assert attempts["message"].str.contains("SIGSEGV").all()
    assert calls().count("c1ccccc1") == 3
    rerun = run_oracle(_oracle(crash_on_benzene), MOLECULES, store, LocalExecutor(2))
    assert rerun.cached == 6 and calls().count("c1ccccc1") == 3


def test_transient_failure_succeeds_on_retry(store, calls):
    retry = RetryPolicy(max_attempts=2, backoff_s=0.01)
    summary = run_oracle(_oracle(crash_once), MOLECULES, store, LocalExecutor(1), retry=retry)
    assert summary.counts == {"ok": 6} and summary.retries == 1
    attempts = store.evaluations_frame().query("smiles == 'c1ccccc1'")
    assert attempts["status"].tolist() == ["failed", "ok"]
    assert store.finished_molecule_ids(_oracle(crash_once).fingerprint) == set(
        store.molecule_ids(MOLECULES).values()
    )


def test_hanging_call_times_out_without_blocking_the_others(store):
    executor = LocalExecutor(2, timeout_s=10)  # generous: a loaded machine
    summary = run_oracle(_oracle(hang_on_benzene), MOLECULES, store, executor)
    assert summary.counts == {"ok": 5, "timeout": 1}
    row = store.evaluations_frame().query("smiles == 'c1ccccc1'")
    assert row["status"].item() == "timeout" and "10 s per-call timeout" in row["message"].item()


def test_invalid_inputs_are_counted_with_reasons_not_sent(store, calls):
    summary = run_oracle(_oracle(carbon_count), ["CCO", "C1CC", ""], store, LocalExecutor(1))
    assert summary.invalid == 2 and summary.counts == {"ok": 1}
    assert calls() == ["CCO"]
    assert "invalid input: cannot parse smiles '…'" in summary.reasons
    assert "cannot parse smiles" in summary.format()


def test_executor_streams_outcomes_as_they_complete(calls):
    executor = LocalExecutor(2)
    executor.start(_oracle(carbon_count))
    try:
        for key, smiles in enumerate(MOLECULES):
            executor.submit(Task(key, smiles))
        outcomes = []
        while len(outcomes) < len(MOLECULES):
            outcomes += executor.poll(1.0)
    finally:
        executor.close()
    assert sorted(o.task.key for o in outcomes) == list(range(len(MOLECULES)))
    assert not any(o.transient for o in outcomes)


def test_workers_run_single_threaded():
    probe = PythonOracle.from_function(omp_threads, {"threads": "1"})
    executor = LocalExecutor(1)
    executor.start(probe)
    try:
        executor.submit(Task(0, "C"))
        outcomes = []
        while not outcomes:
            outcomes = executor.poll(1.0)
    finally:
        executor.close()
    assert outcomes[0].evaluation.values == {"threads": 1.0}


def omp_threads(smiles: str) -> dict[str, float]:
    return {"threads": float(os.environ["OMP_NUM_THREADS"])}


def test_a_worker_that_cannot_load_the_oracle_stops_the_run(store):
    oracle = _oracle(carbon_count)
    oracle.__class__ = UnloadableOracle
    with pytest.raises(WorkerStartError, match="loading the oracle"):
        run_oracle(oracle, MOLECULES, store, LocalExecutor(1))


class UnloadableOracle(PythonOracle):
    def __setstate__(self, state):
        raise ImportError("tblite is not installed in the worker environment")


def _running(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie (PID 1 may not reap orphans)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_timed_out_worker_is_killed_with_the_programs_it_started(store, calls, tmp_path):
    executor = LocalExecutor(1, timeout_s=2)
    summary = run_oracle(_oracle(sleep_on_benzene), ["CCO", "c1ccccc1"], store, executor)
    assert summary.counts == {"ok": 1, "timeout": 1}
    program = int((tmp_path / "calls.txt").read_text())
    deadline = time.monotonic() + 5.0
    while _running(program) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert not _running(program), "the worker's sleep 30 outlived it"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(program, signal.SIGKILL)


def test_a_run_with_a_timeout_ends_without_tracebacks(store, capfd):
    executor = LocalExecutor(1, timeout_s=1)
    summary = run_oracle(_oracle(hang_on_benzene), ["CCO", "c1ccccc1"], store, executor)
    assert summary.counts == {"ok": 1, "timeout": 1}
    errors = capfd.readouterr().err
    assert "Traceback" not in errors and "leaked" not in errors, errors


def test_closing_kills_workers_still_loading_the_oracle_quietly(capfd):
    executor = LocalExecutor(2)
    executor.start(_oracle(carbon_count))
    start = time.perf_counter()
    executor.close()
    assert time.perf_counter() - start < 2.0
    time.sleep(0.5)  # what a worker left alive would print
    errors = capfd.readouterr().err
    assert "Traceback" not in errors, errors
