"""SIGKILL the driver in the middle of a run, start the same command again: it resumes,
recomputes nothing that finished and loses nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from athanor.store import Store

REPO = Path(__file__).resolve().parents[2]
CALLS = "ATHANOR_TEST_CALLS"


def slow_carbons(smiles: str) -> dict[str, float]:
    """0.05 s per molecule; logs 'smiles pid' per call so the test can count calls."""
    with open(os.environ[CALLS], "a") as handle:
        handle.write(f"{smiles} {os.getpid()}\n")
    time.sleep(0.05)
    return {"carbons": float(smiles.count("C"))}


def _command(project: Path, input_file: Path, *oracle_args: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from athanor.cli.main import run; run()",
        "oracle",
        "run",
        *oracle_args,
        "--input",
        str(input_file),
        "--project",
        str(project),
        "--workers",
        "2",
        "--no-progress",
    ]


def _ok_count(project: Path) -> int:
    """Successful rows, read-only (opening the store would race the driver creating it)."""
    database = project / ".athanor" / "store.sqlite"
    if not database.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
            query = "SELECT count(*) FROM evaluations WHERE status = 'ok'"
            return connection.execute(query).fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def _kill_when(process: subprocess.Popen, project: Path, done: int, deadline_s: float) -> int:
    """SIGKILL `process` once `done` results are stored; return how many were stored then."""
    deadline = time.monotonic() + deadline_s
    while _ok_count(project) < done:
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return _ok_count(project)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _wait_gone(pids: set[int], deadline_s: float = 10.0) -> bool:
    deadline = time.monotonic() + deadline_s
    while not all(_gone(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return all(_gone(pid) for pid in pids)


def _environment(calls: Path) -> dict[str, str]:
    env = dict(os.environ, **{CALLS: str(calls)})
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    return env


def test_sigkill_mid_run_then_resume_recomputes_nothing(tmp_path):
    molecules = ["C" * n + "O" for n in range(1, 41)]  # 40 alcohols
    input_file = tmp_path / "alcohols.smi"
    input_file.write_text("\n".join(molecules) + "\n")
    calls = tmp_path / "calls.txt"
    oracle = [
        "python",
        "--param",
        f"function={__name__}:slow_carbons",
        "--param",
        'properties={"carbons": "count"}',
    ]
    command, env = _command(tmp_path, input_file, *oracle), _environment(calls)

    process = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.PIPE)
    finished = _kill_when(process, tmp_path, done=10, deadline_s=120)
    assert 10 <= finished < 40
    with Store.open(tmp_path) as store:
        done_before = set(store.evaluations_frame().query("status == 'ok'")["smiles"])
    first_calls = [line.split() for line in calls.read_text().splitlines()]
    assert _wait_gone({int(pid) for _, pid in first_calls}), "workers outlived the driver"

    rerun = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{finished} already done" in rerun.stdout

    with Store.open(tmp_path) as store:
        frame = store.evaluations_frame()
    assert sorted(frame["smiles"]) == sorted(molecules)  # one row each: nothing lost or doubled
    assert (frame["status"] == "ok").all()
    called = [line.split()[0] for line in calls.read_text().splitlines()]
    assert all(called.count(smiles) == 1 for smiles in done_before)
    assert len(called) <= len(molecules) + 2  # at most the 2 calls in flight were repeated


@pytest.mark.slow
def test_sigkill_mid_200_molecule_xtb_run_then_resume(tmp_path):
    from athanor.datasets import load_dataset

    molecules = load_dataset("zinc250k")["smiles"].head(200).tolist()
    input_file = tmp_path / "zinc200.smi"
    input_file.write_text("\n".join(molecules) + "\n")
    command = _command(tmp_path, input_file, "xtb")
    env = _environment(tmp_path / "unused.txt")

    process = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.PIPE)
    finished = _kill_when(process, tmp_path, done=50, deadline_s=300)
    with Store.open(tmp_path) as store:
        before = store.evaluations_frame().set_index("molecule_id")

    rerun = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{finished} already done" in rerun.stdout
    with Store.open(tmp_path) as store:
        after = store.evaluations_frame().set_index("molecule_id")
    assert after.index.is_unique and len(after) == 200
    kept = after.loc[before.index]
    assert (kept["created_at"] == before["created_at"]).all()  # finished rows untouched
    assert (after["status"] == "ok").mean() > 0.95
