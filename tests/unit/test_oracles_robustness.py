"""Oracle robustness: bad results stay per-item, nothing outlives a timeout, set-up work
happens outside the per-call clock, bad options fail at build time, and the physics does not
depend on arbitrary choices (coordinate origin) or mislabel where a geometry came from."""

from __future__ import annotations

import dataclasses
import os
import pickle
import time
from pathlib import Path

import numpy as np
import pytest

from athanor.core.errors import ConfigError
from athanor.core.records import Evaluation
from athanor.oracles import Oracle, make_oracle
from athanor.oracles.geometry import Structure

GOOD = "CCO"
BAD = "CCCC"
ORIGIN_SHIFT = np.array([5.0, -3.0, 2.0])  # Å


class _Junk(Oracle):
    """Returns a declared property set for GOOD and `junk` for BAD."""

    name = "junk"

    def __init__(self, junk: dict):
        super().__init__()
        self.junk = junk

    @property
    def properties(self) -> dict[str, str]:
        return {"x": "1"}

    def evaluate_one(self, smiles: str) -> dict:
        return self.junk if smiles == BAD else {"x": 1}


@pytest.mark.parametrize(
    ("junk", "message"),
    [
        ({"x": None}, "non-numeric property value"),
        ({"x": "many"}, "non-numeric property value"),
        ({"x": 1, "y": 2}, "undeclared: ['y']"),
        ({}, "missing: ['x']"),
    ],
)
def test_a_bad_result_fails_only_its_molecule(junk, message):
    results = _Junk(junk).evaluate([GOOD, BAD, GOOD])
    assert [r.status for r in results] == ["ok", "failed", "ok"]
    assert message in results[1].message
    assert results[0].values == {"x": 1.0} and isinstance(results[0].values["x"], float)


def _is_running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie (Linux /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _is_running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _is_running(pid)


def _background_sleep(tmp_path: Path, script: str, **options) -> tuple[Evaluation, int]:
    """Run a `sh` program that starts ``sleep 30`` in the background (a grandchild of the
    worker) and writes its pid; return the evaluation and that pid."""
    pid_file = tmp_path / "sleep.pid"
    command = ["sh", "-c", script.replace("PIDFILE", str(pid_file))]
    oracle = make_oracle("command", command=command, properties={"n": "1"}, **options)
    evaluation = oracle.evaluate([GOOD])[0]
    return evaluation, int(pid_file.read_text())


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_command_timeout_kills_the_programs_children(tmp_path):
    script = "sleep 30 & echo $! > PIDFILE; wait"
    evaluation, sleeper = _background_sleep(tmp_path, script, timeout_s=1)
    try:
        assert evaluation.status == "timeout"
        assert "exceeded its 1 s timeout" in evaluation.message
        assert _gone_within(sleeper, 5.0), "sleep 30 outlived the timeout"
    finally:
        if _is_running(sleeper):
            os.kill(sleeper, 9)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_command_leaves_no_background_process_after_it_exits(tmp_path):
    script = "sleep 30 >/dev/null 2>&1 & echo $! > PIDFILE; echo '{\"n\": 1}'"
    evaluation, sleeper = _background_sleep(tmp_path, script, timeout_s=20)
    try:
        assert evaluation.status == "ok" and evaluation.values == {"n": 1.0}
        assert _gone_within(sleeper, 5.0), "a background process outlived the program"
    finally:
        if _is_running(sleeper):
            os.kill(sleeper, 9)


def test_table_lookup_is_built_in_the_driver_not_in_the_worker(tmp_path, monkeypatch):
    import athanor.oracles.table as table

    calls = []
    standardize_many = table.standardize_many

    def counting(smiles, **options):
        calls.append(len(smiles))
        return standardize_many(smiles, **options)

    monkeypatch.setattr(table, "standardize_many", counting)
    path = tmp_path / "scores.csv"
    path.write_text("smiles,score\nOCC,-7.1\nc1ccccc1,-5.0\n")
    oracle = make_oracle("table", path=str(path))
    assert calls == [2]  # standardised once, when the oracle is built
    worker_copy = pickle.loads(pickle.dumps(oracle))  # what a worker process receives
    assert worker_copy.evaluate_one("CCO") == {"score": -7.1}
    assert [r.status for r in worker_copy.evaluate(["c1ccccc1", "CCN"])] == ["ok", "failed"]
    assert calls == [2]  # not again in the worker, inside a molecule's per-call timeout


def test_misspelt_solvent_is_refused_when_the_oracle_is_built():
    pytest.importorskip("tblite")
    with pytest.raises(ConfigError, match=r"'watr'.*water, methanol, acetonitrile"):
        make_oracle("xtb", solvent="watr")
    # in tblite's dielectric database, but without GFN2-xTB ALPB parameters
    with pytest.raises(ConfigError, match="cyclohexane"):
        make_oracle("xtb", solvent="cyclohexane")


def test_the_solvents_the_error_message_suggests_are_accepted():
    pytest.importorskip("tblite")
    from athanor.oracles.xtb import EXAMPLE_SOLVENTS

    for solvent in EXAMPLE_SOLVENTS:
        assert make_oracle("xtb", solvent=solvent).parameters.solvent == solvent


def test_ion_dipole_does_not_depend_on_the_coordinate_origin(monkeypatch):
    pytest.importorskip("tblite")
    import athanor.oracles.xtb as xtb

    acetate = "CC(=O)[O-]"
    oracle = make_oracle("xtb")
    centred = oracle.evaluate([acetate])[0].values
    embed = xtb.embed_structure

    def translated(*args, **kwargs) -> Structure:
        structure = embed(*args, **kwargs)
        return dataclasses.replace(structure, positions=structure.positions + ORIGIN_SHIFT)

    monkeypatch.setattr(xtb, "embed_structure", translated)
    moved = oracle.evaluate([acetate])[0].values
    assert moved["energy"] == pytest.approx(centred["energy"], abs=1e-8)
    assert moved["dipole"] == pytest.approx(centred["dipole"], abs=1e-4)
    assert 1.0 < centred["dipole"] < 10.0  # about the centre of mass (not ~47 D)


def _method(evaluation) -> str:
    assert evaluation.status == "ok", evaluation.message
    return Structure.from_xyz(evaluation.geometry).method


def test_stored_geometry_names_the_method_that_produced_it():
    pytest.importorskip("tblite")
    assert _method(make_oracle("xtb").evaluate([GOOD])[0]) == "ETKDG/MMFF94"
    assert _method(make_oracle("xtb", optimize=True).evaluate([GOOD])[0]) == "GFN2-xTB"
    pytest.importorskip("pyscf")
    dft = make_oracle("dft", basis="sto-3g")
    assert _method(dft.evaluate(["O"])[0]) == "GFN2-xTB"
    plain = make_oracle("dft", basis="sto-3g", xtb_geometry=False)
    assert _method(plain.evaluate(["O"])[0]) == "ETKDG/MMFF94"


def test_dft_fingerprint_covers_the_xtb_preoptimisation():
    pytest.importorskip("pyscf")
    default = make_oracle("dft").fingerprint
    assert make_oracle("dft", xtb_fmax=0.01).fingerprint != default
    assert make_oracle("dft", xtb_max_steps=50).fingerprint != default
    assert make_oracle("dft", xtb_fmax=0.05, xtb_max_steps=300).fingerprint == default
